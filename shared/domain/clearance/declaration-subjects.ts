import { normalisePlate } from '../risk/declaration-facts';

/**
 * The subjects a declaration names, as index keys: device evidence about any of them (an alarm on a container, a
 * truck at the gate, a vessel going dark) finds the declarations to re-assess through this index. One key format
 * for the writer (lodgement) and every reader (re-assessment, gate release), so they cannot drift apart.
 */
export type SubjectKey = `container:${string}` | `truck:${string}` | `mmsi:${number}` | `imo:${string}`;

export const containerSubject = (container: string): SubjectKey => `container:${container}`;
/** Plates as the engine compares them (upper case, no spaces or dashes): the gate OCR and the declarant differ. */
export const truckSubject = (plate: string): SubjectKey => `truck:${normalisePlate(plate)}`;
export const mmsiSubject = (mmsi: number): SubjectKey => `mmsi:${mmsi}`;
export const imoSubject = (imo: string | number): SubjectKey => `imo:${String(imo)}`;

export interface SubjectsOfDeclaration {
  containers: readonly string[];
  transport: { truckPlate?: string; vesselMmsi?: number; vesselImo?: string };
}

/** Every subject key of a declaration: its containers, its truck and its vessel (by MMSI and by IMO). */
export function subjectKeysOf(d: SubjectsOfDeclaration): SubjectKey[] {
  const keys: SubjectKey[] = d.containers.map(containerSubject);
  const { truckPlate, vesselMmsi, vesselImo } = d.transport;
  if (truckPlate !== undefined && normalisePlate(truckPlate) !== '') keys.push(truckSubject(truckPlate));
  if (vesselMmsi !== undefined) keys.push(mmsiSubject(vesselMmsi));
  if (vesselImo !== undefined) keys.push(imoSubject(vesselImo));
  return [...new Set(keys)];
}
