import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AgencyNotification, AgencyNotifier } from '../../ports/incident-workflow';

/** The `source` of every notification on the bus: what an agency's rule matches on, with `detail-type` and audience. */
export const NOTIFICATION_SOURCE = 'kouan.joint-control';

/** PutEvents accepted the request but not the entry (throttled, internal): the caller retries the whole step. */
export class NotificationRejectedError extends Error {
  readonly code = 'NOTIFICATION_REJECTED';
}

/**
 * Agency notifications as EventBridge events on the platform's bus: `source` {@link NOTIFICATION_SOURCE},
 * `detail-type` the notification type (`incident.raised`, `task.dispatched`, …), `detail` the notification (its
 * `audience` is the role that should act, e.g. `border`, or `border:supervisor` for an escalation). Agencies
 * subscribe with a rule such as `{ "source": ["kouan.joint-control"], "detail": { "audience": ["border"] } }`.
 * Locally the same client reaches the local feed (local/eventbridge-endpoint.ts) through AWS_ENDPOINT_URL_EVENTBRIDGE.
 */
export class EventBridgeNotifier implements AgencyNotifier {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async notify(event: AgencyNotification): Promise<void> {
    const res = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: NOTIFICATION_SOURCE,
            DetailType: event.type,
            Time: new Date(event.at),
            Resources: [],
            Detail: JSON.stringify(event),
          },
        ],
      }),
    );
    const entry = res.Entries?.[0];
    if ((res.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode) {
      throw new NotificationRejectedError(
        `PutEvents rejected ${event.type} for ${event.incidentId}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}
