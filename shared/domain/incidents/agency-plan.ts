import type { Agency, IncidentSeverity, IncidentType } from '../../../events/v1/incidents';
import type { Role } from '../roles';

/**
 * Who does what in joint control (issue 4; the table in docs/joint-control.md is checked against this one). Each
 * incident type has the agencies that get a task, why, and the severity an incident of that type has unless its
 * source says otherwise. Data, not code paths: a port changes a plan here, and the docs test tells it to update
 * the table.
 */
export interface AgencyPlan {
  agencies: readonly Agency[];
  severity: IncidentSeverity;
  /** One line per agency: what it does for this type. */
  duties: Readonly<Partial<Record<Agency, string>>>;
}

export const AGENCY_PLANS: Readonly<Record<IncidentType, AgencyPlan>> = {
  'radiation-alarm': {
    agencies: ['customs', 'border', 'port-operator'],
    severity: 'high',
    duties: {
      customs: 'secondary inspection with a hand-held identifier; decide release, hold or seizure of the goods',
      border: 'check the driver and any persons on board; secure the lane',
      'port-operator': 'safety officer: isolate the vehicle in the inspection bay, keep staff at distance',
    },
  },
  'xray-anomaly': {
    agencies: ['customs', 'border'],
    severity: 'high',
    duties: {
      customs: 'open and examine the container at the anomaly the image shows',
      border: 'concealed persons or weapons: attend the opening',
    },
  },
  'red-lane-declaration': {
    agencies: ['customs', 'port-operator'],
    severity: 'medium',
    duties: {
      customs: 'physical inspection of the declared goods',
      'port-operator': 'move the container to the inspection area and back',
    },
  },
  'biosecurity-risk': {
    agencies: ['quarantine', 'customs'],
    severity: 'high',
    duties: {
      quarantine: 'inspect for pests and diseases; sample; treat, re-export or destroy',
      customs: 'hold the goods until quarantine releases them',
    },
  },
  'vessel-dark': {
    agencies: ['maritime', 'border'],
    severity: 'medium',
    duties: {
      maritime: 'locate the vessel (VTS, radar, patrol); contact the master',
      border: 'board on arrival if the gap is not explained',
    },
  },
  'gate-ocr-mismatch': {
    agencies: ['port-operator', 'customs'],
    severity: 'low',
    duties: {
      'port-operator': 'read the container number at the lane by hand and correct the gate record',
      customs: 'check a number that is still wrong against the declarations: a false number is a finding',
    },
  },
  manual: {
    agencies: ['customs'],
    severity: 'medium',
    duties: { customs: 'as the raising officer describes (other agencies when the raiser names them)' },
  },
};

/** The role that acts for an agency (CONTRACT.md §3): `customs` → `customs-officer`, the others by name. */
export function roleForAgency(agency: Agency): Role {
  return agency === 'customs' ? 'customs-officer' : agency;
}

/** The audience of an escalation: the agency role's supervisors (a subscription filter on EventBridge). */
export function supervisorAudience(agency: Agency): string {
  return `${roleForAgency(agency)}:supervisor`;
}

/**
 * How long an agency has to complete a task, from its dispatch: the state machine's callback timeout (stage config
 * `jointControl.taskTimeoutSeconds`, 30 minutes by default), so that `dueAt` says when the escalation comes. The
 * same for every severity while the definition has one timeout per callback state.
 */
export const DEFAULT_TASK_DUE_SECONDS = 30 * 60;

/** The agencies of an incident: the type's plan, then any the raiser added (a manual raise naming them replaces it). */
export function agenciesFor(type: IncidentType, extra: readonly Agency[] = []): Agency[] {
  const base = type === 'manual' && extra.length > 0 ? [] : AGENCY_PLANS[type].agencies;
  return [...new Set([...base, ...extra])];
}

/**
 * HS chapters of live animals, animal and plant products (1–14) and wood (44): a red-lane declaration carrying them
 * is a biosecurity case for quarantine first, not customs alone.
 */
export function isBiosecurityHsCode(hsCode: string): boolean {
  const chapter = Number(hsCode.slice(0, 2));
  return (chapter >= 1 && chapter <= 14) || chapter === 44;
}
