/** Roles of CONTRACT.md §3, carried as groups in the caller's token (Cognito groups in the cloud). */
export const ROLES = [
  'customs-officer',
  'customs-risk',
  'border',
  'maritime',
  'quarantine',
  'port-operator',
  'declarant',
  'platform-admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The border agencies ("agencies" in CONTRACT.md). */
export const AGENCY_ROLES = [
  'customs-officer',
  'customs-risk',
  'border',
  'maritime',
  'quarantine',
] as const satisfies readonly Role[];
