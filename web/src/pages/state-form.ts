// The state-change form used for one action, for a bulk selection, and across a fleet: a state,
// a required comment (every change says why), and an optional expiry after which the state
// reverts to "to address".
import { field, h, select } from '../dom';
import { STATE_LABELS } from '../format';
import { describe } from '../errors';

export interface StateChange {
  state: string;
  comment: string;
  expiresAt: string | null;
}

export function stateForm(options: {
  initial?: string;
  compact?: boolean;
  submitLabel: string;
  onSubmit: (change: StateChange) => Promise<void>;
}): HTMLFormElement {
  const state = select(Object.entries(STATE_LABELS).map(([value, text]) => ({ value, label: text })),
                       options.initial ?? 'to_address', { name: 'state' });
  const comment = h(options.compact ? 'input' : 'textarea',
                    { name: 'comment', required: true, placeholder: 'Why (recorded in the history)' });
  const expires = h('input', { type: 'date', name: 'expiresAt' });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, options.submitLabel);
  const message = h('p', { class: 'form-message', role: 'alert' });
  const form = h('form', { class: `state-form${options.compact ? ' compact' : ''}` },
    field('New state', state), field('Comment', comment),
    field('Expires (optional)', expires), h('div', { class: 'form-actions' }, submit), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (!comment.value.trim()) {
      message.textContent = 'Say why: the comment is kept in the state history.';
      comment.focus();
      return;
    }
    submit.disabled = true;
    try {
      await options.onSubmit({
        state: state.value,
        comment: comment.value.trim(),
        expiresAt: expires.value ? `${expires.value}T00:00:00Z` : null,
      });
      comment.value = '';
      expires.value = '';
    } catch (error) {
      const { title, text } = describe(error);
      message.textContent = `${title}: ${text}`;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
