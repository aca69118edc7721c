import { ApiProperty } from '@nestjs/swagger';

/** A text in each language the app speaks. */
export class LocalisedTextResponse {
  id: string;
  en: string;
}

/** A registered sector module (DESIGN.md "Key shapes": Sector), named in the caller's language. */
export class SectorResponse {
  @ApiProperty({ example: 'health' })
  key: string;
  @ApiProperty({ example: 'Kesehatan' })
  name: string;
  names: LocalisedTextResponse;
  /** The sector's Indonesian code, as certificate numbers print it (`SERT-KES`). */
  @ApiProperty({ example: 'KES' })
  code: string;
  /** The module's version. */
  @ApiProperty({ example: '1.0.0' })
  version: string;
  /** The version whose content the database holds. */
  @ApiProperty({ example: '1.0.0' })
  installedVersion: string;
  enabled: boolean;
  description: string | null;
  /** Name of the sector's SVG icon, served at `/assets/icons/<icon>.svg`. */
  @ApiProperty({ example: 'health', type: String, nullable: true })
  icon: string | null;
}

/** What switching a sector off would touch (ADR 0021). */
export class SectorImpactResponse {
  @ApiProperty({ example: 'health' })
  key: string;
  @ApiProperty({ example: 'Kesehatan' })
  name: string;
  enabled: boolean;
  /** Open attempts at its assessments (voided when it is switched off). */
  attemptsInProgress: number;
  /** Unfinished enrolments in its courses (paused while it is off). */
  enrolmentsInProgress: number;
  /** Active schemes (issue nothing while it is off). */
  activeSchemes: number;
  /** Distinct people with an open attempt or unfinished enrolment. */
  candidates: number;
}

/** A sector after switching it on or off, with what switching off touched. */
export class SectorUpdateResponse extends SectorResponse {
  impact?: SectorImpactResponse;
}
