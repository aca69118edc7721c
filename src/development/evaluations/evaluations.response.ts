import type { EvaluationKind } from '../development.entity.js';

export class EvaluationPersonResponse {
  id: string;
  name: string;
}

export class EvaluationCourseResponse {
  id: string;
  code: string;
  title: string;
}

export class EvaluationSchemeResponse {
  id: string;
  code: string;
  title: string;
}

export class EvaluationCertificateResponse {
  number: string;
}

export class EvaluationItemResponse {
  /** The key its rating is given under: "1".."n" for a reaction, the competency's code otherwise. */
  key: string;
  /** The statement or the competency's title. */
  text: string;
}

/** A questionnaire waiting for its recipient. */
export class QuestionnaireResponse {
  id: string;
  /** reaction, behaviour_self, behaviour_supervisor or baseline. */
  kind: EvaluationKind;
  dueAt: Date;
  /** Whose work it is about. */
  subject: EvaluationPersonResponse;
  course?: EvaluationCourseResponse;
  scheme?: EvaluationSchemeResponse;
  certificate?: EvaluationCertificateResponse;
  items: EvaluationItemResponse[];
}

/** A questionnaire just answered. */
export class EvaluationAnsweredResponse {
  id: string;
  kind: EvaluationKind;
  answeredAt: Date;
}
