import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { SmtpReply } from './replies.js';

/** What the smarthost said about a relayed message. */
export interface RelayOutcome {
  accepted: string[];
  /** Recipients the smarthost refused for good, with its reply. */
  rejected: { address: string; reply: string }[];
}

/**
 * Hands a message to the configured smarthost (`smtp://[user:pass@]host:port`, STARTTLS when
 * offered; or `smtps://`). Resolves with what was accepted and refused; rejects with an SmtpReply
 * when nothing could be handed over: 4xx when it may work later (connection failures, 4xx from the
 * smarthost), 5xx when the smarthost refused every recipient for good.
 */
export async function relayToSmarthost(
  smarthostUrl: string,
  envelope: { from: string; to: readonly string[] },
  message: Readable,
  serverName: string,
): Promise<RelayOutcome> {
  const transport = nodemailer.createTransport(smarthostUrl, { name: serverName });
  try {
    const info = await transport.sendMail({
      envelope: { from: envelope.from, to: [...envelope.to] },
      raw: message,
    });
    const rejectedErrors =
      (info as { rejectedErrors?: { recipient?: string; response?: string }[] }).rejectedErrors ?? [];
    return {
      accepted: info.accepted.map(String),
      rejected: info.rejected.map((address) => {
        const text = String(address);
        const detail = rejectedErrors.find((error) => error.recipient === text)?.response ?? 'refused';
        return { address: text, reply: detail };
      }),
    };
  } catch (error) {
    message.resume();
    const failure = error as { responseCode?: number; response?: string; message?: string };
    const code = failure.responseCode ?? 0;
    if (code >= 500)
      throw new SmtpReply(554, `5.4.0 the relay refused the message: ${failure.response ?? failure.message}`);
    throw new SmtpReply(
      451,
      `4.4.1 the relay could not be reached or refused for now: ${failure.response ?? failure.message}`,
    );
  } finally {
    transport.close();
  }
}
