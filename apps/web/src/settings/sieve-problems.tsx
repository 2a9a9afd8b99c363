'use client';
// The problems a check found, each "line L, column C: message", each a button that puts the
// caret there.
import type { SieveProblem } from './operations';

export function SieveProblems({
  id,
  problems,
  onGoTo,
}: {
  id: string;
  problems: SieveProblem[];
  onGoTo: (problem: SieveProblem) => void;
}) {
  if (!problems.length) return null;
  return (
    <div
      id={id}
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
    >
      <p className="font-semibold">
        {problems.length === 1 ? 'The script has a mistake:' : `The script has ${problems.length} mistakes:`}
      </p>
      <ul className="mt-1 space-y-0.5" data-testid="sieve-problems">
        {problems.map((problem, index) => (
          <li key={index}>
            <button
              type="button"
              onClick={() => onGoTo(problem)}
              className="text-left underline decoration-red-300 underline-offset-2 hover:decoration-red-700"
              data-testid="sieve-problem"
            >
              line {problem.line}, column {problem.column}: {problem.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
