export class QuestionBankResponse {
  id: string;
  sector: string;
  name: string;
  description: string;
  createdAt: string;
}

export class CategoryResponse {
  id: string;
  parentId: string | null;
  name: string;
  info: string;
  depth: number;
  path: string;
}

/** A bank with its question count and its category tree (depth-first, `path` from the root). */
export class QuestionBankDetailResponse extends QuestionBankResponse {
  questionCount: number;
  categories: CategoryResponse[];
}

export class NewCategoryResponse {
  id: string;
  parentId: string | null;
  name: string;
  info: string;
}

export class QuestionVersionResponse {
  version: number;
  createdAt: string;
  used: boolean;
}

export class QuestionResponse {
  id: string;
  bankId: string;
  categoryId: string | null;
  name: string;
  type: string;
  version: number;
  stem: string;
  definition: Record<string, unknown>;
  points: number;
  generalFeedback: string;
  competencyCode: string | null;
  competencyLevel: number | null;
  difficulty: string | null;
  tags: string[];
  versions?: QuestionVersionResponse[];
}

export class BulkUpdateResponse {
  updated: number;
}

/** A question an import refused: the file's line where it starts, its name, and why. */
export class QuestionImportSkippedResponse {
  line: number;
  name: string;
  reason: string;
}

export class QuestionImportWarningResponse {
  line: number;
  name: string;
  reason: string;
}

/** A stored question file: put `url` in a question's text (`<img src="…">`). */
export class QuestionFileResponse {
  /** `<sha256>.<ext>` */
  name: string;
  url: string;
}

export class QuestionImportLineResponse {
  line: number;
  name: string;
  type: string;
  category: string | null;
}

/** What an import took (`imported`) and refused (`skipped`, by line and name); a dry run also lists what it would take. */
export class QuestionImportResponse {
  imported: number;
  skipped: QuestionImportSkippedResponse[];
  /** Imported, but not whole: a file refused or missing, a reference the format cannot carry. */
  warnings: QuestionImportWarningResponse[];
  /** Dry run only. */
  wouldImport?: number;
  /** Dry run only: the questions it would take. */
  questions?: QuestionImportLineResponse[];
}

export class QuestionPreviewResponse {
  id: string;
  type: string;
  version: number;
  stemHtml: string;
  points: number;
}
