// Builds DOM nodes from code. Text always goes in as text nodes (never as HTML), so data from
// the API cannot inject markup, and nothing needs inline scripts or styles (the server's CSP).

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'class') {
        el.className = String(value);
      } else if (value === true) {
        el.setAttribute(key, '');
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function card(title: string | null, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null,
           ...children);
}

// A labelled form control: the label is a real <label for>, so screen readers and clicks work.
let fieldCounter = 0;
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control,
           hint ? h('small', { class: 'hint' }, hint) : null);
}

export function select(
  options: { value: string; label: string }[],
  value: string,
  attrs: Attrs = {},
): HTMLSelectElement {
  const el = h('select', attrs);
  for (const option of options) {
    const o = h('option', { value: option.value }, option.label);
    if (option.value === value) o.selected = true;
    el.appendChild(o);
  }
  return el;
}

export function button(label: Child, onClick: (event: Event) => void, attrs: Attrs = {}) {
  return h('button', { type: 'button', class: 'btn', ...attrs, onclick: onClick as EventListener },
           label);
}

export function emptyState(title: string, text: string, ...extra: Child[]): HTMLElement {
  return h('div', { class: 'empty', role: 'status' }, h('h3', null, title), h('p', null, text),
           ...extra);
}

export function loading(): HTMLElement {
  return h('div', { class: 'loading', role: 'status' }, 'Loading…');
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: number | undefined;
  return (...args: A) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), ms);
  };
}
