import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isExportType } from './processon';
import { NOT_FOUND } from './controllers/embed';
import { getService } from './utils';

/**
 * When @strapi/plugin-graphql is installed, the embed descriptor is also a GraphQL query:
 *
 *   processonDescriptor(contentType: String!, documentId: ID!, field: String, locale: String,
 *                       kind: ProcessonDescriptorKind, type: ProcessonExportType): ProcessonDescriptor
 *
 * governed like the REST route: the Users & Permissions action `plugin::processon.embed.descriptor`
 * and `find` on the owning content type, published documents only, one NotFound for all the rest.
 * (The diagram field itself is a JSON custom field: shadow CRUD already exposes it as `JSON`.)
 */
export const TYPE_DEFS = `
  enum ProcessonDescriptorKind { view export }
  enum ProcessonExportType { image pdf }
  type ProcessonDescriptor {
    action: String!
    method: String!
    acceptCharset: String!
    fields: JSON!
  }
  extend type Query {
    processonDescriptor(
      contentType: String!
      documentId: ID!
      field: String = "diagram"
      locale: String
      kind: ProcessonDescriptorKind = view
      type: ProcessonExportType = image
    ): ProcessonDescriptor
  }
`;

interface DescriptorArgs {
  contentType: string;
  documentId: string;
  field?: string | null;
  locale?: string | null;
  kind?: 'view' | 'export' | null;
  type?: string | null;
}

interface ExtensionService {
  use(configuration: {
    typeDefs: string;
    resolvers: Record<string, Record<string, { resolve: (parent: unknown, args: DescriptorArgs, context: { state?: { auth?: unknown } }) => Promise<unknown> }>>;
    resolversConfig: Record<string, { auth: { scope: string[] } }>;
  }): unknown;
}

export const registerGraphql = (strapi: Core.Strapi): void => {
  if (!strapi.plugin('graphql')) return;
  const extension = strapi.plugin('graphql').service('extension') as unknown as ExtensionService;
  extension.use({
    typeDefs: TYPE_DEFS,
    resolvers: {
      Query: {
        processonDescriptor: {
          async resolve(_parent, args, context) {
            const embeds = getService(strapi, 'embeds');
            const type = args.type ?? 'image';
            if (!isExportType(type)) throw new errors.ValidationError('type must be "image" or "pdf"');
            const located = await embeds.locate(
              {
                contentType: args.contentType,
                documentId: args.documentId,
                field: args.field ?? 'diagram',
                locale: args.locale ?? undefined,
              },
              embeds.mayReadFor(context.state?.auth),
              { withValue: true }
            );
            const diagram = located ? await embeds.load(located) : null;
            if (!diagram) throw new errors.NotFoundError(NOT_FOUND);
            return embeds.descriptor(diagram, args.kind === 'export' ? { kind: 'export', type } : { kind: 'view' });
          },
        },
      },
    },
    resolversConfig: {
      'Query.processonDescriptor': { auth: { scope: ['plugin::processon.embed.descriptor'] } },
    },
  });
};
