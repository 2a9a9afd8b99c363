'use client';
// Vacation reply: on or off, subject and text, the days it runs, and how often one sender is
// answered. Never sent to lists or automatic mail (the server sees to that).
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { describeError } from '@/client/graphql';
import { fromDateInput, toDateInput } from './date-input';
import { CheckboxField, CheckedTextAreaField, CheckedTextField } from './fields';
import { FormStatus } from './form-status';
import { fetchMailSettings, setVacation, type VacationSettings } from './operations';
import { SettingsPanel, StatusBadge } from './settings-panel';
import { errorFor, errorOutside, useFormAction } from './use-form-action';

const FIELDS = ['enabled', 'subject', 'text', 'start', 'end', 'days'];

export function VacationSection() {
  const [saved, setSaved] = useState<VacationSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [days, setDays] = useState('7');
  const action = useFormAction();

  const show = (settings: VacationSettings) => {
    setSaved(settings);
    setEnabled(settings.enabled);
    setSubject(settings.subject);
    setText(settings.text);
    setStart(toDateInput(settings.start));
    setEnd(toDateInput(settings.end));
    setDays(String(settings.days));
  };

  useEffect(() => {
    fetchMailSettings()
      .then((settings) => show(settings.vacation))
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const dayCount = Number(days);
    if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 30) {
      return action.fail('Between 1 and 30 days.', 'days');
    }
    if (enabled && !text.trim()) return action.fail('Write the reply’s text.', 'text');
    if (start && end && end < start) return action.fail('The last day is before the first.', 'end');
    const result = await action.run(
      () =>
        setVacation({
          enabled,
          subject: subject.trim(),
          text,
          start: fromDateInput(start, 'start'),
          end: fromDateInput(end, 'end'),
          days: dayCount,
        }),
      (stored) => (stored.enabled ? 'Vacation reply saved and on.' : 'Vacation reply saved; it is off.'),
    );
    if (result) show(result);
  };

  return (
    <SettingsPanel
      id="vacation"
      title="Vacation reply"
      description="An automatic answer while you are away: each sender gets it at most once every few days, and mailing lists and automatic mail never do."
      aside={saved ? <StatusBadge on={saved.enabled}>{saved.enabled ? 'On' : 'Off'}</StatusBadge> : null}
    >
      {loadError ? (
        <FormStatus error={loadError} />
      ) : !saved ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <form
          onSubmit={(event) => void submit(event)}
          className="max-w-2xl space-y-4"
          aria-label="Vacation reply"
        >
          <FormStatus error={errorOutside(action.error, FIELDS)} notice={action.notice} />
          <CheckboxField
            id="vacation-enabled"
            label="Send a vacation reply"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          <CheckedTextField
            id="vacation-subject"
            label="Subject"
            hint="Empty: “Auto: ” and the subject of the message answered."
            value={subject}
            maxLength={200}
            onChange={(event) => setSubject(event.target.value)}
            error={errorFor(action.error, 'subject')}
          />
          <CheckedTextAreaField
            id="vacation-text"
            label="Text"
            rows={6}
            value={text}
            onChange={(event) => setText(event.target.value)}
            error={errorFor(action.error, 'text')}
          />
          <div className="grid gap-4 sm:grid-cols-3">
            <CheckedTextField
              id="vacation-start"
              label="First day"
              hint="Empty: from now."
              type="date"
              value={start}
              onChange={(event) => setStart(event.target.value)}
              error={errorFor(action.error, 'start')}
            />
            <CheckedTextField
              id="vacation-end"
              label="Last day"
              hint="Empty: until you turn it off."
              type="date"
              value={end}
              onChange={(event) => setEnd(event.target.value)}
              error={errorFor(action.error, 'end')}
            />
            <CheckedTextField
              id="vacation-days"
              label="Answer a sender again after"
              hint="Days, 1 to 30."
              type="number"
              min={1}
              max={30}
              value={days}
              onChange={(event) => setDays(event.target.value)}
              error={errorFor(action.error, 'days')}
            />
          </div>
          <Button type="submit" variant="primary" disabled={action.pending}>
            {action.pending ? 'Saving…' : 'Save vacation reply'}
          </Button>
        </form>
      )}
    </SettingsPanel>
  );
}
