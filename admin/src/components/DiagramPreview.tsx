import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

import { renderDiagram } from '../../../server/src/processon/render';
import type { DiagramValue } from '../../../server/src/processon/value';
import { useTranslate } from '../utils/getTranslation';

/** Larger defs are not drawn in the field: the preview must never slow the edit view down. */
const PREVIEW_MAX_DEF_CHARS = 2 * 1024 * 1024;

/**
 * The picture of the diagram in the field's filled state, drawn in the browser from the stored def
 * by the plugin's own renderer (the one behind the public .svg route), without ProcessOn. Shown as
 * an <img> of a data: URL: an SVG there runs no script and loads nothing, whatever the def holds.
 */
export const DiagramPreview = ({ diagram }: { diagram: DiagramValue }) => {
  const t = useTranslate();
  const src = React.useMemo(() => {
    if (diagram.def === '' || diagram.def.length > PREVIEW_MAX_DEF_CHARS) return null;
    const result = renderDiagram(diagram.def, diagram.category, { title: diagram.title, timeBudgetMs: 1000 });
    return result.ok ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.svg)}` : null;
  }, [diagram.def, diagram.category, diagram.title]);

  return (
    <Box
      width="16rem"
      height="10rem"
      hasRadius
      borderColor="neutral200"
      borderStyle="solid"
      borderWidth="1px"
      background="neutral0"
      overflow="hidden"
      shrink={0}
      data-testid="processon-preview"
      data-drawn={src ? 'true' : 'false'}
    >
      {src ? (
        <img
          src={src}
          alt={t('input.preview.alt', { title: diagram.title })}
          style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }}
        />
      ) : (
        <Flex height="100%" justifyContent="center" alignItems="center" padding={2}>
          <Typography variant="pi" textColor="neutral600" textAlign="center">
            {t('input.preview.none')}
          </Typography>
        </Flex>
      )}
    </Box>
  );
};
