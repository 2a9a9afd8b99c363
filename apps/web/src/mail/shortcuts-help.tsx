'use client';
// The "?" dialog: every keyboard shortcut of the webmail.
import { Modal } from '@/components/modal';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <div className="px-5 py-4">
        <table className="w-full text-sm">
          <caption className="sr-only">Keyboard shortcuts</caption>
          <thead>
            <tr className="text-left text-slate-600">
              <th scope="col" className="pb-2 font-medium">
                Key
              </th>
              <th scope="col" className="pb-2 font-medium">
                Does
              </th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.key} className="border-t border-slate-100">
                <td className="py-1.5 pr-4">
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">
                    {shortcut.key}
                  </kbd>
                </td>
                <td className="py-1.5 text-slate-800">{shortcut.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-600">
          Shortcuts work when the focus is not in a text field. Esc closes dialogs.
        </p>
      </div>
    </Modal>
  );
}
