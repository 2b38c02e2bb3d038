import { Flex } from '@strapi/design-system';
import { Graph } from '@strapi/icons';
import { styled } from 'styled-components';

const IconBox = styled(Flex)`
  /* Fixed colours, as Strapi's own custom fields do, to look the same in both themes. */
  background-color: #f0f0ff; /* primary100 */
  border: 1px solid #d9d8ff; /* primary200 */
`;

/** The field's icon in the Content-Type Builder. */
export const DiagramIcon = () => (
  <IconBox justifyContent="center" alignItems="center" width={7} height={6} hasRadius aria-hidden data-testid="processon-field-icon">
    <Graph fill="#4945ff" /* primary600 */ />
  </IconBox>
);
