import type { IHookFunctions, INodeType } from 'n8n-workflow';

import { forgetConfiguredSecret } from './configuredSecret';
import { nodeKeyOf } from './nodeKey';
import { forgetRecentDeliveries } from './recentDeliveries';

/**
 * Boticord and Botisimo have no API to register a webhook: the user pastes the
 * node's URL into the provider's dashboard. So there is nothing to check,
 * create or delete remotely; deactivating the workflow only forgets what this
 * process remembered for the node (message ids and its credential's secret).
 */
export const manualWebhookRegistration: NonNullable<INodeType['webhookMethods']> = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			const nodeKey = nodeKeyOf(this);
			forgetRecentDeliveries(nodeKey);
			forgetConfiguredSecret(nodeKey);
			return true;
		},
	},
};
