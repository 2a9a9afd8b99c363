'use client';
// Forwarding: every incoming message also (or only) to other addresses.
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { describeError } from '@/client/graphql';
import { CheckboxField, CheckedTextAreaField } from './fields';
import { FormStatus } from './form-status';
import { fetchMailSettings, setForwarding, type ForwardingSettings } from './operations';
import { SettingsPanel, StatusBadge } from './settings-panel';
import { errorFor, errorOutside, useFormAction } from './use-form-action';

const FIELDS = ['enabled', 'addresses', 'keepCopy'];

/** The addresses typed one a line (or separated by commas or spaces). */
function parseAddresses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}

export function ForwardingSection() {
  const [saved, setSaved] = useState<ForwardingSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [addresses, setAddresses] = useState('');
  const [keepCopy, setKeepCopy] = useState(true);
  const action = useFormAction();

  const show = (settings: ForwardingSettings) => {
    setSaved(settings);
    setEnabled(settings.enabled);
    setAddresses(settings.addresses.join('\n'));
    setKeepCopy(settings.keepCopy);
  };

  useEffect(() => {
    fetchMailSettings()
      .then((settings) => show(settings.forwarding))
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const list = parseAddresses(addresses);
    if (enabled && !list.length) return action.fail('Enter at least one address to forward to.', 'addresses');
    const bad = list.find((address) => !/^[^\s@]+@[^\s@]+$/.test(address));
    if (bad) return action.fail(`“${bad}” is not an email address.`, 'addresses');
    const result = await action.run(
      () => setForwarding({ enabled, addresses: list, keepCopy }),
      (stored) =>
        stored.enabled
          ? `Forwarding saved and on${stored.keepCopy ? ', keeping a copy here' : ''}.`
          : 'Forwarding saved; it is off.',
    );
    if (result) show(result);
  };

  return (
    <SettingsPanel
      id="forwarding"
      title="Forwarding"
      description="Send every incoming message on to other addresses, with or without keeping a copy here."
      aside={saved ? <StatusBadge on={saved.enabled}>{saved.enabled ? 'On' : 'Off'}</StatusBadge> : null}
    >
      {loadError ? (
        <FormStatus error={loadError} />
      ) : !saved ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <form onSubmit={(event) => void submit(event)} className="max-w-xl space-y-4" aria-label="Forwarding">
          <FormStatus error={errorOutside(action.error, FIELDS)} notice={action.notice} />
          <CheckboxField
            id="forwarding-enabled"
            label="Forward incoming mail"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          <CheckedTextAreaField
            id="forwarding-addresses"
            label="Forward to"
            hint="One address a line."
            rows={3}
            value={addresses}
            onChange={(event) => setAddresses(event.target.value)}
            error={errorFor(action.error, 'addresses')}
          />
          <CheckboxField
            id="forwarding-keep"
            label="Keep a copy in this mailbox"
            hint="Off: forwarded mail is not kept here."
            checked={keepCopy}
            onChange={(event) => setKeepCopy(event.target.checked)}
          />
          <Button type="submit" variant="primary" disabled={action.pending}>
            {action.pending ? 'Saving…' : 'Save forwarding'}
          </Button>
        </form>
      )}
    </SettingsPanel>
  );
}
