'use client';
// A monospace editor for Sieve: line numbers in a gutter and the lines with problems highlighted
// behind the text (a layer under a transparent textarea, scrolled with it). Lines never wrap, so
// line N of the text is line N on screen.
import { forwardRef, useRef, useState, type UIEvent } from 'react';
import type { SieveProblem } from './operations';

const LINE = 'leading-6';
const PAD = 'py-2';

export const SieveEditor = forwardRef<
  HTMLTextAreaElement,
  {
    id: string;
    value: string;
    problems: SieveProblem[];
    onChange: (value: string) => void;
    describedBy?: string | undefined;
    label: string;
  }
>(function SieveEditor({ id, value, problems, onChange, describedBy, label }, ref) {
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n');
  const bad = new Set(problems.map((problem) => problem.line));

  const onScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    const { scrollTop, scrollLeft } = event.currentTarget;
    setScroll({ top: scrollTop, left: scrollLeft });
    if (gutter.current) gutter.current.scrollTop = scrollTop;
  };

  return (
    <div className="flex h-96 overflow-hidden rounded-md border border-slate-300 bg-white font-mono text-sm shadow-sm focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-200">
      <div
        ref={gutter}
        aria-hidden="true"
        className={`shrink-0 overflow-hidden border-r border-slate-200 bg-slate-50 px-2 text-right text-slate-500 select-none ${PAD} ${LINE}`}
      >
        {lines.map((_, index) => (
          <div
            key={index}
            className={bad.has(index + 1) ? 'font-semibold text-red-700' : undefined}
            data-testid={bad.has(index + 1) ? 'sieve-bad-line-number' : undefined}
          >
            {index + 1}
          </div>
        ))}
      </div>
      <div className="relative min-w-0 flex-1">
        <div
          aria-hidden="true"
          className={`pointer-events-none absolute inset-0 overflow-hidden ${PAD} ${LINE}`}
        >
          <div style={{ transform: `translateY(${-scroll.top}px)` }}>
            {lines.map((_, index) => (
              <div
                key={index}
                className={`h-6 ${bad.has(index + 1) ? 'bg-red-100' : ''}`}
                data-testid={bad.has(index + 1) ? 'sieve-bad-line' : undefined}
                data-line={index + 1}
              />
            ))}
          </div>
        </div>
        <textarea
          ref={ref}
          id={id}
          aria-label={label}
          aria-describedby={describedBy}
          aria-invalid={problems.length ? true : undefined}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onScroll={onScroll}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          className={`relative block h-full w-full resize-none overflow-auto bg-transparent px-3 whitespace-pre text-slate-900 outline-none ${PAD} ${LINE}`}
        />
      </div>
    </div>
  );
});

/** Puts the caret at a line and column (1-based) of the editor and scrolls it into view. */
export function goToPosition(textarea: HTMLTextAreaElement, line: number, column: number): void {
  const lines = textarea.value.split('\n');
  let offset = 0;
  for (let index = 0; index < Math.min(line - 1, lines.length); index += 1)
    offset += lines[index]!.length + 1;
  offset += Math.max(0, Math.min(column - 1, lines[line - 1]?.length ?? 0));
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
  const lineHeight = 24;
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}
