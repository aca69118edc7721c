import { KeyedRegistry } from './keyed-registry.js';

describe('KeyedRegistry', () => {
  it('registers, finds and lists items with their owner', () => {
    const registry = new KeyedRegistry<{ key: string }>('Question type');
    registry.register({ key: 'essay' }, 'the core');
    expect(registry.get('essay')).toEqual({ key: 'essay' });
    expect(registry.ownerOf('essay')).toBe('the core');
    expect(registry.has('ordering')).toBe(false);
    expect(registry.list()).toHaveLength(1);
  });

  it('refuses a second item with the same key, naming both owners', () => {
    const registry = new KeyedRegistry<{ key: string }>('Question type');
    registry.register({ key: 'essay' }, 'the core');
    expect(() => registry.register({ key: 'essay' }, 'sector "health"')).toThrow(
      'Question type "essay" from sector "health" clashes with the one from the core',
    );
  });
});
