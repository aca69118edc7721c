/** An option of a choice question, with its credit (-1..1) and optional feedback. */
export interface ChoiceOption {
  id: string;
  text: string;
  fraction: number;
  feedback?: string;
}

export interface ChoiceDefinition {
  options: ChoiceOption[];
}

/** Shared checks of option lists: ids unique and present, text present, credits in range. */
export function optionProblems(definition: unknown, min = 2): string[] {
  const options = (definition as Partial<ChoiceDefinition> | null)?.options;
  if (!Array.isArray(options) || options.length < min)
    return [`options must list at least ${min} choices`];
  const problems: string[] = [];
  const ids = new Set<string>();
  options.forEach((o: Partial<ChoiceOption>, i) => {
    if (typeof o?.id !== 'string' || !o.id) problems.push(`options[${i}].id is required`);
    else if (ids.has(o.id)) problems.push(`options[${i}].id "${o.id}" is repeated`);
    else ids.add(o.id);
    if (typeof o?.text !== 'string' || !o.text.trim())
      problems.push(`options[${i}].text is required`);
    if (typeof o?.fraction !== 'number' || o.fraction < -1 || o.fraction > 1)
      problems.push(`options[${i}].fraction must be from -1 to 1`);
  });
  return problems;
}

export const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/** Rounds away float noise (0.1 + 0.2) so credits compare and store cleanly. */
export const tidy = (n: number) => Math.round(n * 1e6) / 1e6;

export const choiceView = (definition: ChoiceDefinition) => ({
  options: definition.options.map((o) => ({ id: o.id, text: o.text })),
});
