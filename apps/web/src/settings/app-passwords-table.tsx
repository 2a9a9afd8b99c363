// The user's app passwords: name, uses, when made, when and from where last used, and Revoke.
import { formatFullDate } from '@/shared/format';
import type { AppPassword } from './operations';
import { SCOPES } from './app-password-form';

function scopeLabel(scope: string): string {
  return SCOPES.find((item) => item.scope === scope)?.label ?? scope;
}

export function AppPasswordsTable({
  appPasswords,
  onRevoke,
}: {
  appPasswords: AppPassword[];
  onRevoke: (appPassword: AppPassword) => void;
}) {
  if (!appPasswords.length) {
    return <p className="text-sm text-slate-600">You have no app passwords.</p>;
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="app-passwords-table">
        <caption className="sr-only">Your app passwords</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Uses
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Created
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Last used
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {appPasswords.map((item) => (
            <tr
              key={item.id}
              className="border-b border-slate-100"
              data-testid="app-password-row"
              data-name={item.name}
            >
              <th scope="row" className="px-3 py-2.5 font-medium text-slate-900">
                {item.name}
              </th>
              <td className="px-3 py-2.5 text-slate-700">{item.scopes.map(scopeLabel).join(', ')}</td>
              <td className="px-3 py-2.5 whitespace-nowrap text-slate-700" suppressHydrationWarning>
                {formatFullDate(item.created)}
              </td>
              <td
                className="px-3 py-2.5 text-slate-700"
                data-testid="app-password-last-used"
                suppressHydrationWarning
              >
                {item.lastUsed ? (
                  <>
                    {formatFullDate(item.lastUsed)}
                    {item.lastAddress ? (
                      <span className="block text-xs text-slate-600">from {item.lastAddress}</span>
                    ) : null}
                  </>
                ) : (
                  'never'
                )}
              </td>
              <td className="px-3 py-2.5 text-right">
                <button
                  type="button"
                  onClick={() => onRevoke(item)}
                  className="rounded-md px-2.5 py-1.5 font-medium text-red-700 hover:bg-red-50"
                  aria-label={`Revoke ${item.name}`}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
