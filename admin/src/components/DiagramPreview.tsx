import type { DiagramValue } from '../../../server/src/processon/value';

/**
 * The picture of the diagram in the field's filled state (left of its details). Nothing is drawn
 * yet: a renderer of the def will fill this slot; the filled state's layout already leaves it room.
 */
export const DiagramPreview = (_props: { diagram: DiagramValue }) => null;
