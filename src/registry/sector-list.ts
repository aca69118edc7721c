/** The only place the core reads `modules/`: the one list of sector modules. */
export { sectors } from '../../modules/index.js';
