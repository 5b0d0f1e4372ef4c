import { createServer } from 'node:http';
import { listenOnLoopback, readBody, replyJson } from './loopback';

/**
 * The one call of the AWS IoT Data Plane API the platform makes (`Publish`: `POST /topics/{topic}?qos=1`, the body
 * is the payload), served on loopback so the real `IoTDataPlaneClient` works locally through
 * `AWS_ENDPOINT_URL_IOT_DATA_PLANE`: the ingest handler has no local branch. The messages go to `onPublish` (the
 * local broker publishes them to the devices).
 */
export interface IotDataEndpoint {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface IotDataEndpointOptions {
  /** 0 picks a free port. */
  port: number;
  onPublish: (topic: string, payload: Buffer, qos: 0 | 1) => Promise<void>;
  log?: (message: string) => void;
}

const MAX_BODY_BYTES = 128 * 1024;

export async function startIotDataEndpoint(options: IotDataEndpointOptions): Promise<IotDataEndpoint> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = /^\/topics\/(.+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match?.[1]) {
        return replyJson(res, 404, { message: `no such operation: ${req.method} ${url.pathname}` });
      }
      const topic = decodeURIComponent(match[1]);
      const qos = url.searchParams.get('qos') === '1' ? 1 : 0;
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === undefined) return replyJson(res, 413, { message: `payload over ${MAX_BODY_BYTES} bytes` });
      await options.onPublish(topic, body, qos);
      replyJson(res, 200, {});
    })().catch((e: unknown) => {
      options.log?.(`iot data publish failed: ${(e as Error).message}`);
      if (!res.headersSent) replyJson(res, 500, { message: (e as Error).message });
    });
  });
  const port = await listenOnLoopback(server, options.port);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
