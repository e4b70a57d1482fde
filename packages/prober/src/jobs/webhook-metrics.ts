import { Counter, Gauge, type Registry } from 'prom-client';

/** Delivery metrics of one node; every label is a fixed vocabulary. */
export class WebhookMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly deliveries: Counter<'outcome'>;

  constructor(registry: Registry, sources: { inFlight: () => number; stored: () => Promise<number> }) {
    this.attempts = new Counter({
      name: 'mailprobe_webhook_attempts_total',
      help: 'Webhook delivery attempts made by this node, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'mailprobe_webhook_deliveries_total',
      help: 'Webhook deliveries this node ended: delivered, failed (given up) or cancelled (unsubscribed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    new Gauge({
      name: 'mailprobe_webhook_deliveries_in_flight',
      help: 'Webhook deliveries this node is sending now (one outbound connection each)',
      registers: [registry],
      collect() {
        this.set(sources.inFlight());
      },
    });
    new Gauge({
      name: 'mailprobe_webhook_queue_depth',
      help: 'Webhook deliveries waiting or in flight in the store (the whole fleet)',
      registers: [registry],
      async collect() {
        try {
          this.set(await sources.stored());
        } catch {
          // The store does not answer (Redis gone): the last value stays.
        }
      },
    });
  }
}
