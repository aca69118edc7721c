import { TrueFalseType } from './true-false.type.js';

describe('TrueFalseType', () => {
  const type = new TrueFalseType();

  it('grades the right answer full and the wrong one zero', () => {
    expect(type.grade({ answer: true }, true)).toEqual({ fraction: 1 });
    expect(type.grade({ answer: true }, false)).toEqual({ fraction: 0 });
  });

  it('validates definitions and responses', () => {
    expect(type.validate({ answer: false })).toEqual([]);
    expect(type.validate({ answer: 'ya' })).toHaveLength(1);
    expect(type.validateResponse('true')).toHaveLength(1);
  });
});
