/**
 * The read-cache namespace of position standards: read on every gap view, changed only when
 * an admin edits a standard or a competency's title.
 */
export const STANDARDS_CACHE = 'standards';
