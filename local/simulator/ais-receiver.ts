import { type AisMessage, encodeAisMessage } from '../../shared/domain/ais';
import type { SimulatedDevice } from './fleet';
import type { LatLon } from './geo';
import type { SeededRandom } from './random';

/** At most this many NMEA lines in one publish (CONTRACT.md §2). */
export const MAX_SENTENCES_PER_PUBLISH = 100;

/**
 * A shore AIS receiver: hears messages on VHF channels A and B, queues their sentences and forwards them in batches.
 * Like real receivers it numbers multi-sentence messages with a cycling sequential id, so a batch may interleave
 * another ship's report between the two halves of a type 5; and once in a while a sentence arrives with a corrupt
 * checksum (radio noise), which the platform rejects on its own while the rest of the batch still counts.
 */
export class AisReceiver {
  private queue: string[][] = [];
  private sequentialId = 0;

  constructor(
    readonly device: SimulatedDevice,
    readonly location: LatLon,
    private readonly random: SeededRandom,
    private readonly badChecksumRate: number,
  ) {}

  hear(message: AisMessage): void {
    const channel = this.random.chance(0.5) ? 'A' : 'B';
    // Only multi-sentence messages (type 5) carry a sequential id; single sentences leave it empty, as receivers do.
    const sequentialId = message.type === 5 ? this.nextSequentialId() : undefined;
    const lines = encodeAisMessage(message, sequentialId === undefined ? { channel } : { channel, sequentialId });
    if (lines.length === 1 && this.random.chance(this.badChecksumRate)) {
      this.queue.push([corruptChecksum(lines[0] ?? '')]);
      return;
    }
    this.queue.push(lines);
  }

  /** The queued sentences as publish-sized batches (1–100 lines each, a multi-part message never split across two). */
  flush(): string[][] {
    const batches: string[][] = [];
    let batch: string[] = [];
    const groups = this.queue;
    this.queue = [];
    for (let i = 0; i < groups.length; i++) {
      let lines = groups[i] ?? [];
      const next = groups[i + 1];
      // Interleave: another ship's single sentence heard between the fragments of a multi-sentence message.
      if (lines.length > 1 && next?.length === 1 && this.random.chance(0.3)) {
        lines = [lines[0] ?? '', ...next, ...lines.slice(1)];
        i++;
      }
      if (batch.length + lines.length > MAX_SENTENCES_PER_PUBLISH) {
        batches.push(batch);
        batch = [];
      }
      batch.push(...lines);
    }
    if (batch.length > 0) batches.push(batch);
    return batches;
  }

  private nextSequentialId(): number {
    const id = this.sequentialId;
    this.sequentialId = (this.sequentialId + 1) % 10;
    return id;
  }
}

/** Flips bits of the two checksum digits after `*`: the sentence still looks like NMEA but fails its checksum. */
export function corruptChecksum(sentence: string): string {
  const star = sentence.lastIndexOf('*');
  const sum = Number.parseInt(sentence.slice(star + 1, star + 3), 16);
  const wrong = (sum ^ 0x5a).toString(16).toUpperCase().padStart(2, '0');
  return `${sentence.slice(0, star + 1)}${wrong}`;
}
