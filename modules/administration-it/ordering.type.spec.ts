import { OrderingType } from './ordering.type.js';

describe('ordering (administration-it)', () => {
  const type = new OrderingType();
  const definition = {
    items: [
      { id: 'agenda', text: 'Catat di buku agenda' },
      { id: 'disposisi', text: 'Teruskan untuk disposisi pimpinan' },
      { id: 'tindak', text: 'Tindak lanjuti sesuai disposisi' },
      { id: 'arsip', text: 'Simpan di arsip aktif' },
    ],
  };

  it('credits each step in its place', () => {
    expect(type.grade(definition, ['agenda', 'disposisi', 'tindak', 'arsip'])).toEqual({
      fraction: 1,
    });
    // Opaque per attempt: the engine maps the ids of the items list.
    expect(type.picks).toEqual({ values: 'items' });
    expect(type.grade(definition, ['agenda', 'tindak', 'disposisi', 'arsip'])).toEqual({
      fraction: 0.5,
    });
    expect(type.grade(definition, [])).toEqual({ fraction: 0 });
    expect(type.grade(definition, 'agenda' as never)).toEqual({ fraction: 0 });
  });

  it('shows the steps in an order that does not reveal the key', () => {
    expect(type.candidateView(definition).items.map((i) => i.id)).toEqual([
      'agenda',
      'arsip',
      'disposisi',
      'tindak',
    ]);
  });

  it('refuses repeated ids', () => {
    expect(
      type.validate({
        items: [
          { id: 'a', text: 'x' },
          { id: 'a', text: 'y' },
        ],
      }),
    ).toEqual(['item ids must be unique']);
  });
});
