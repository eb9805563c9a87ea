// Small helpers to build the page without a framework.

type Child = Node | string | false | null | undefined;

/** An element with attributes (`class`, `data-*`, `aria-*`, ...) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== false && child !== null && child !== undefined) element.append(child);
  return element;
}

export function button(label: string, onClick: () => void, attributes: Record<string, string> = {}): HTMLButtonElement {
  const element = el('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', onClick);
  return element;
}

export function select<T extends string>(label: string, options: readonly T[], value: T, onChange: (value: T) => void): { element: HTMLLabelElement; input: HTMLSelectElement } {
  const input = el('select', {}, ...options.map((option) => el('option', { value: option }, option)));
  input.value = value;
  input.addEventListener('change', () => onChange(input.value as T));
  return { element: el('label', { class: 'field' }, label, input), input };
}

/** Sets a text only when it differs, so renders at audio-volume rate touch the DOM little. */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Sets or removes a data attribute. */
export function setData(element: HTMLElement, name: string, value: string | undefined): void {
  if (value === undefined) delete element.dataset[name];
  else if (element.dataset[name] !== value) element.dataset[name] = value;
}
