// Error states a person can act on: server unreachable, token no longer valid, not allowed.
import { ApiError } from './api';
import { button, clear, emptyState, h } from './dom';

export function describe(error: unknown): { title: string; text: string } {
  if (error instanceof ApiError) {
    switch (error.kind) {
      case 'unreachable':
        return {
          title: 'Server unreachable',
          text: 'The securescore server did not answer. Check that `securescore serve` is running, then retry.',
        };
      case 'unauthorized':
        return {
          title: 'Your token has expired or is not valid',
          text: 'Ask an administrator for a new token (`securescore token create`) and sign in again.',
        };
      case 'forbidden':
        return { title: 'Not allowed', text: `Your role may not do this. ${error.message}` };
      case 'not_found':
        return { title: 'Not found', text: error.message };
      default:
        return { title: `Request failed (${error.status})`, text: error.message };
    }
  }
  return { title: 'Something went wrong', text: error instanceof Error ? error.message : String(error) };
}

export function showError(el: HTMLElement, error: unknown, retry?: () => void): void {
  const { title, text } = describe(error);
  clear(el);
  el.appendChild(
    h('div', { class: 'error-state', role: 'alert' },
      emptyState(title, text, retry ? button('Retry', retry, { class: 'btn primary' }) : null)),
  );
}
