/** Something a registry holds, identified by a unique key. */
export interface Keyed {
  readonly key: string;
}

/**
 * A registry of extensions keyed by name. The core registers its built-ins through the
 * same `register` call that sector modules use, so neither has a privileged path.
 */
export class KeyedRegistry<T extends Keyed> {
  private readonly items = new Map<string, { item: T; owner: string }>();

  constructor(private readonly what: string) {}

  register(item: T, owner: string): void {
    const existing = this.items.get(item.key);
    if (existing) {
      throw new Error(
        `${this.what} "${item.key}" from ${owner} clashes with the one from ${existing.owner}`,
      );
    }
    this.items.set(item.key, { item, owner });
  }

  get(key: string): T | undefined {
    return this.items.get(key)?.item;
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  ownerOf(key: string): string | undefined {
    return this.items.get(key)?.owner;
  }

  list(): T[] {
    return [...this.items.values()].map((entry) => entry.item);
  }
}
