import type { Logger, MikroORM, StreamConsumerOptions } from '@shop/platform';
import { startWebhookIntake } from './webhook.intake.ts';
import { startWebhookSender, type WebhookSenderSettings } from './webhook.sender.ts';

export interface RunningWebhooks {
  stop(): Promise<void>;
}

/** The background half of partner webhooks: the intake from the order events stream and the sender. */
export async function startWebhooks(options: {
  orm: MikroORM;
  redis: StreamConsumerOptions['redis'];
  stream: string;
  logger: Logger;
  settings: WebhookSenderSettings;
}): Promise<RunningWebhooks> {
  const intake = await startWebhookIntake(options);
  const sender = startWebhookSender(options);
  return {
    async stop() {
      await intake.stop();
      await sender.stop();
    },
  };
}
