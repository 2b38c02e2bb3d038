import * as React from 'react';

import { Box, Button, Modal } from '@strapi/design-system';

import type { FormDescriptor } from '../../../server/src/processon/forms';
import { useFrameErrorCode } from '../hooks/useFrameErrorCode';
import { useTranslate } from '../utils/getTranslation';
import { postFormInto } from '../utils/postForm';
import { ErrorExplanation } from './ProcessOnErrors';

interface ViewerModalProps {
  /** The viewer form, def filled in. */
  form: FormDescriptor<'view'>;
  title: string;
  apiOrigin: string | null;
  onClose: () => void;
}

/** The read-only ProcessOn viewer of the field's diagram (no editor session is used). */
export const ViewerModal = ({ form, title, apiOrigin, onClose }: ViewerModalProps) => {
  const t = useTranslate();
  const frameName = React.useId().replace(/[^A-Za-z0-9_-]/g, '');
  const [frame, setFrame] = React.useState<HTMLIFrameElement | null>(null);
  const [errorCode, clearError] = useFrameErrorCode(apiOrigin, frame);
  const posted = React.useRef(false);
  React.useEffect(() => {
    if (!frame || posted.current) return;
    posted.current = true;
    postFormInto(form, `processon-viewer-${frameName}`);
  }, [frame, form, frameName]);

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content
        aria-describedby={undefined}
        style={{
          width: 'calc(100vw - 4rem)',
          maxWidth: '1400px',
          height: '85vh',
          maxHeight: '85vh',
          display: 'flex',
          flexDirection: 'column',
        }}
      >
        <Modal.Header closeLabel={t('viewer.close-label')}>
          <Modal.Title>{t('viewer.title', { title })}</Modal.Title>
        </Modal.Header>
        {errorCode && (
          <Box padding={4}>
            <ErrorExplanation code={errorCode} onClose={clearError} />
          </Box>
        )}
        <Box flex="1" style={{ minHeight: 0, display: 'flex' }}>
          <iframe
            ref={setFrame}
            name={`processon-viewer-${frameName}`}
            title={t('viewer.frame-title', { title })}
            data-testid="processon-viewer-frame"
            style={{ border: 0, width: '100%', flex: 1, display: 'block' }}
          />
        </Box>
        <Modal.Footer style={{ flex: '0 0 auto' }}>
          <span />
          <Modal.Close>
            <Button variant="tertiary">{t('viewer.close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
