/**
 * Question fields carried as tags in GIFT comments and Moodle XML tags:
 * `kompetensi:KES.PPI`, `level:2`, `kesulitan:sedang`. The rest stay plain tags.
 */
export function questionMeta(tags: string[]) {
  const value = (prefix: string) =>
    tags
      .find((t) => t.startsWith(prefix))
      ?.slice(prefix.length)
      .trim() || null;
  const level = Number(value('level:'));
  const difficulty = value('kesulitan:');
  return {
    competencyCode: value('kompetensi:'),
    competencyLevel: level >= 1 && level <= 5 ? level : null,
    difficulty: (['mudah', 'sedang', 'sulit'] as const).find((d) => d === difficulty) ?? null,
    tags: tags.filter((t) => !/^(kompetensi|level|kesulitan):/.test(t)),
  };
}
