/** Deliveries for the browser tests: a message handed to the mail server over LMTP, as an MTA would. */
import nodemailer from 'nodemailer';

export interface TestMessage {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; content: string | Buffer; contentType?: string }[];
}

/** Delivers one message over LMTP to the mail server on `port`; resolves once it is accepted. */
export async function deliverByLmtp(port: number, message: TestMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail(message);
    if (info.rejected.length) throw new Error(`LMTP refused ${info.rejected.join(', ')}: ${info.response}`);
  } finally {
    transport.close();
  }
}
