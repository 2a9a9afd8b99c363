'use client';
// Identities: the names the user sends as (always with the account's own address), each with a
// signature written in the same rich editor as messages, and which one compose starts with.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { describeError } from '@/client/graphql';
import { Button } from '@/components/button';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { RichEditor } from '@/mail/rich-editor';
import { deleteIdentity, fetchIdentities, saveIdentity, type Identity } from '@/mail/compose-operations';
import { CheckboxField, CheckedTextField } from './fields';
import { FormStatus } from './form-status';
import { SettingsPanel, StatusBadge, SubHeading } from './settings-panel';
import { errorFor, errorOutside, useFormAction } from './use-form-action';

const FIELDS = ['name', 'address', 'signatureHtml'];

/** The identity being edited: an existing one, or a new one (id null). */
interface Editing {
  id: string | null;
  name: string;
  address: string;
  signatureHtml: string;
  isDefault: boolean;
}

function IdentityForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: Editing;
  onSaved: (saved: Identity) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(editing.name);
  const [address, setAddress] = useState(editing.address);
  const [signatureHtml, setSignatureHtml] = useState(editing.signatureHtml);
  const [isDefault, setIsDefault] = useState(editing.isDefault);
  const action = useFormAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!address.trim()) return action.fail('Enter the address to send from.', 'address');
    const saved = await action.run(() =>
      saveIdentity(editing.id, { name: name.trim(), address: address.trim(), signatureHtml, isDefault }),
    );
    if (saved) onSaved(saved);
  };

  const title = editing.id ? 'Edit identity' : 'New identity';
  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="max-w-2xl space-y-4"
      aria-label={title}
      data-testid="identity-form"
    >
      <SubHeading>{title}</SubHeading>
      <FormStatus error={errorOutside(action.error, FIELDS)} notice={action.notice} />
      <CheckedTextField
        id="identity-name"
        label="Name"
        hint="Shown to recipients beside your address."
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={errorFor(action.error, 'name')}
      />
      <CheckedTextField
        id="identity-address"
        label="Address"
        hint="Your own address: the only one you can send from."
        type="email"
        value={address}
        onChange={(event) => setAddress(event.target.value)}
        error={errorFor(action.error, 'address')}
      />
      <RichEditor
        id="identity-signature"
        label="Signature"
        initialHtml={editing.signatureHtml}
        onChange={(html) => setSignatureHtml(html)}
        minHeightClass="min-h-24"
      />
      {errorFor(action.error, 'signatureHtml') ? (
        <p className="text-sm text-red-800">{errorFor(action.error, 'signatureHtml')}</p>
      ) : null}
      <CheckboxField
        id="identity-default"
        label="Use by default"
        hint="New messages start with this identity and its signature."
        checked={isDefault}
        onChange={(event) => setIsDefault(event.target.checked)}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={action.pending}>
          {action.pending ? 'Saving…' : 'Save identity'}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function IdentitiesSection() {
  const [identities, setIdentities] = useState<Identity[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Identity | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const removal = useFormAction();

  const load = useCallback(() => {
    fetchIdentities()
      .then(setIdentities)
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, []);
  useEffect(load, [load]);

  const account = identities?.[0]?.address ?? '';

  return (
    <SettingsPanel
      id="identities"
      title="Identities"
      description="The names you send as, each with its own signature. Compose lets you pick one when you have several."
    >
      {loadError ? (
        <FormStatus error={loadError} />
      ) : !identities ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <>
          <FormStatus notice={notice} />
          <ul
            className="divide-y divide-slate-200 rounded-lg border border-slate-200"
            aria-label="Your identities"
          >
            {identities.map((identity) => (
              <li
                key={identity.id}
                className="flex flex-wrap items-start justify-between gap-3 px-4 py-3"
                data-testid="identity-row"
              >
                <div className="min-w-0">
                  <p className="font-medium text-slate-900">
                    {identity.name || identity.address}{' '}
                    {identity.isDefault ? <StatusBadge on>Default</StatusBadge> : null}
                  </p>
                  {identity.name ? <p className="text-sm text-slate-600">{identity.address}</p> : null}
                  {identity.signatureHtml ? (
                    <div
                      className="mt-1 text-sm text-slate-700 [&_a]:underline [&_ol]:list-decimal [&_ol]:pl-5 [&_ul]:list-disc [&_ul]:pl-5"
                      // sanitised by the API, by the rules of received mail
                      dangerouslySetInnerHTML={{ __html: identity.signatureHtml }}
                    />
                  ) : (
                    <p className="mt-1 text-sm text-slate-600">No signature</p>
                  )}
                </div>
                <div className="flex gap-2">
                  <Button
                    size="compact"
                    aria-label={`Edit ${identity.name || identity.address}`}
                    onClick={() => {
                      setNotice(null);
                      setEditing({
                        id: identity.id,
                        name: identity.name ?? '',
                        address: identity.address,
                        signatureHtml: identity.signatureHtml ?? '',
                        isDefault: identity.isDefault,
                      });
                    }}
                  >
                    Edit
                  </Button>
                  {identities.length > 1 ? (
                    <Button
                      size="compact"
                      variant="danger"
                      aria-label={`Delete ${identity.name || identity.address}`}
                      onClick={() => {
                        removal.clear();
                        setDeleting(identity);
                      }}
                    >
                      Delete
                    </Button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
          {editing ? (
            <IdentityForm
              key={editing.id ?? 'new'}
              editing={editing}
              onCancel={() => setEditing(null)}
              onSaved={(saved) => {
                setEditing(null);
                setNotice(`Identity “${saved.name || saved.address}” saved.`);
                load();
              }}
            />
          ) : (
            <Button
              variant="primary"
              onClick={() => {
                setNotice(null);
                setEditing({ id: null, name: '', address: account, signatureHtml: '', isDefault: false });
              }}
            >
              New identity
            </Button>
          )}
        </>
      )}
      {deleting ? (
        <ConfirmDialog
          title="Delete identity"
          confirmLabel="Delete"
          pendingLabel="Deleting…"
          pending={removal.pending}
          error={removal.error?.message}
          onClose={() => setDeleting(null)}
          onConfirm={() =>
            void removal
              .run(() => deleteIdentity(deleting.id))
              .then((done) => {
                if (!done) return;
                setDeleting(null);
                setNotice(`Identity “${deleting.name || deleting.address}” deleted.`);
                load();
              })
          }
        >
          Delete “{deleting.name || deleting.address}” and its signature?
          {deleting.isDefault ? ' Your oldest other identity becomes the default.' : ''}
        </ConfirmDialog>
      ) : null}
    </SettingsPanel>
  );
}
