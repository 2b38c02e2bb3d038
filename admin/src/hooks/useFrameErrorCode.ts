import * as React from 'react';

import { errorCodeFromMessage, type ErrorCode } from '../../../server/src/processon/errors';

/**
 * The ProcessOn error code a frame reports to this page (postMessage), if any. Only messages from
 * the configured ProcessOn origin and from that very frame are read.
 */
export const useFrameErrorCode = (
  apiOrigin: string | null,
  frame: HTMLIFrameElement | null
): [ErrorCode | null, () => void] => {
  const [code, setCode] = React.useState<ErrorCode | null>(null);
  React.useEffect(() => {
    if (!apiOrigin || !frame) return undefined;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== apiOrigin || !frame.contentWindow || event.source !== frame.contentWindow) return;
      const reported = errorCodeFromMessage(event.data);
      if (reported) setCode(reported);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [apiOrigin, frame]);
  const clear = React.useCallback(() => setCode(null), []);
  return [code, clear];
};
