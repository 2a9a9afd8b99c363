/** A webhook receiver for the soak: records every SPAM / NOT_SPAM event it is sent. */
import { createServer, type Server } from 'node:http';

export class WebhookReceiver {
  /** `address\nMessage-ID` of every SPAM event received. */
  readonly spam = new Set<string>();
  /** Deliveries received, and how many of them repeated a delivery id already seen. */
  received = 0;
  duplicates = 0;
  private readonly deliveryIds = new Set<string>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          this.record(request.headers, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          // not JSON: counted as received, nothing else
        }
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  }

  private record(headers: Record<string, string | string[] | undefined>, event: WebhookEvent): void {
    this.received += 1;
    const deliveryId = String(
      headers['idempotency-key'] ?? headers['x-wildduck-delivery-id'] ?? event.id ?? '',
    );
    if (deliveryId) {
      if (this.deliveryIds.has(deliveryId)) this.duplicates += 1;
      this.deliveryIds.add(deliveryId);
    }
    if (event.type === 'SPAM' && event.address && event.message?.messageId)
      this.spam.add(`${event.address}\n${event.message.messageId}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

interface WebhookEvent {
  id?: string;
  type?: string;
  address?: string;
  message?: { messageId?: string };
}
