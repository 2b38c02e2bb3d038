import type { FormDescriptor } from '../../../server/src/processon/forms';

/**
 * Posts a form descriptor into a named browsing context (the editor iframe), the way ProcessOn's
 * doc does it: a real <form method=POST target=...> with hidden inputs, submitted then removed.
 * Values go in through the DOM (never through HTML text), so nothing needs escaping.
 */
export const postFormInto = (descriptor: FormDescriptor, target: string): void => {
  const form = document.createElement('form');
  form.method = descriptor.method;
  form.action = descriptor.action;
  form.target = target;
  form.acceptCharset = descriptor.acceptCharset;
  form.enctype = 'application/x-www-form-urlencoded';
  form.style.display = 'none';
  for (const [name, value] of Object.entries(descriptor.fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = String(value);
    form.appendChild(input);
  }
  document.body.appendChild(form);
  try {
    form.submit();
  } finally {
    form.remove();
  }
};
