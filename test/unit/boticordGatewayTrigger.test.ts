import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type ITriggerFunctions,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import {
	asWebhookNotification,
	BoticordGatewayTrigger,
	gatewayClientOptions,
} from '../../nodes/Boticord/BoticordGatewayTrigger.node';
import {
	BOT_ID,
	SERVER_ID,
	gatewayNotification as notifyData,
	upItem,
} from '../fixtures/deliveries';
import { startFakeGateway } from '../harness/fakeGateway';
import { recordingLogger } from '../harness/recordingLogger';
import { sleep, waitUntil as until } from '../harness/processes';

const TOKEN = 'gateway-token-9Kd2Lq7Wx4';

type Gateway = Awaited<ReturnType<typeof startFakeGateway>>;

/** A trigger context as n8n gives one: `saveFailedExecution` only where n8n has it (2.x). */
function triggerContext({
	parameters,
	token = TOKEN,
	activation = 'activate',
	canSaveFailedExecution = true,
}: {
	parameters: IDataObject;
	token?: string;
	activation?: WorkflowActivateMode;
	canSaveFailedExecution?: boolean;
}) {
	const emitted: IDataObject[] = [];
	const errors: Error[] = [];
	const failedExecutions: Error[] = [];
	const log = recordingLogger();
	const context = {
		getCredentials: async () => ({ hookKey: token }),
		getNodeParameter: (name: string, fallback: unknown) => parameters[name] ?? fallback,
		getNode: () => ({ name: 'Boticord Gateway Trigger', type: 'boticordGatewayTrigger' }),
		getMode: () => 'trigger',
		getActivationMode: () => activation,
		getWorkflowStaticData: () => ({}),
		logger: log.logger,
		emit: (data: INodeExecutionData[][]) => emitted.push(...data.flat().map((item) => item.json)),
		emitError: (error: Error) => errors.push(error),
		...(canSaveFailedExecution
			? { saveFailedExecution: (error: Error) => failedExecutions.push(error) }
			: {}),
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
	} as unknown as ITriggerFunctions;
	return { context, emitted, errors, failedExecutions, log };
}

describe('Boticord Gateway Trigger', () => {
	let gateway: Gateway;
	const closers: Array<() => Promise<void>> = [];

	beforeEach(async () => {
		gateway = await startFakeGateway({ tokens: [TOKEN] });
	});

	afterEach(async () => {
		await Promise.all(closers.splice(0).map(async (close) => close()));
		await gateway.close();
	});

	/** Runs the node's trigger() as n8n does, recording what it emits. */
	async function activate({
		events = ['*'],
		options = {},
		token = TOKEN,
		activation = 'activate' as WorkflowActivateMode,
	}: {
		events?: string[];
		options?: IDataObject;
		token?: string;
		activation?: WorkflowActivateMode;
	} = {}) {
		const recorded = triggerContext({
			parameters: { events, options: { gatewayUrl: gateway.url, ...options } },
			token,
			activation,
		});
		const response = await new BoticordGatewayTrigger().trigger.call(recorded.context);
		if (response.closeFunction) closers.push(response.closeFunction);
		return { response, ...recorded };
	}

	it.each([['affected'], ['id'], ['both']])(
		'turns a notification naming its resource as %p into the item the webhook route makes of it',
		async (as) => {
			const { emitted } = await activate({ events: ['up_added'] });
			gateway.notify(notifyData('up_added', BOT_ID, as));
			await until(() => emitted.length === 1, 'the item');
			expect(emitted[0]).toEqual(upItem());
		},
	);

	it('emits only the selected notifications about the bots and servers listed', async () => {
		const { emitted } = await activate({
			events: ['comment_added'],
			options: { serverIds: SERVER_ID },
		});
		gateway.notify(notifyData('up_added', SERVER_ID));
		gateway.notify(notifyData('comment_added', BOT_ID));
		gateway.notify(notifyData('comment_added', SERVER_ID));
		await until(() => emitted.length === 1, 'the one item');
		await sleep(200);
		expect(emitted).toEqual([expect.objectContaining({ resourceId: SERVER_ID, target: 'server' })]);
	});

	it('takes Bot IDs and Server IDs as lists, as expressions give them', async () => {
		const { emitted } = await activate({
			events: ['*'],
			options: { botIds: [BOT_ID], serverIds: [` ${SERVER_ID} `, '111'] },
		});
		gateway.notify(notifyData('up_added', '222'));
		gateway.notify(notifyData('up_added', BOT_ID));
		gateway.notify(notifyData('comment_added', SERVER_ID));
		await until(() => emitted.length === 2, 'two items');
		expect(emitted.map(({ target }) => target)).toEqual(['bot', 'server']);
	});

	it('fails its activation when an expression turned a Discord ID into a number that cannot hold it', async () => {
		await expect(activate({ options: { botIds: Number(BOT_ID) } })).rejects.toThrow(
			/Bot IDs holds the number .* cannot be a Discord ID: IDs beyond 2\^53 lose their last digits/,
		);
		expect(gateway.attempts).toEqual([]);
	});

	it('skips an invalid notification with a warning, or emits it with its problem when asked to', async () => {
		const broken = { ...notifyData('up_added'), happened: 'yesterday' };
		const strict = await activate();
		gateway.notify(broken);
		await until(() => strict.log.lines.some(([level]) => level === 'warn'), 'the warning');
		expect(strict.emitted).toEqual([]);
		expect(strict.log.lines.find(([level]) => level === 'warn')?.[1]).toMatch(
			/happened: must be a number/,
		);

		const lenient = await activate({ options: { acceptInvalidPayloads: true } });
		gateway.notify(broken);
		await until(() => lenient.emitted.length === 1, 'the item');
		expect(lenient.emitted[0].validationError).toMatch(/happened: must be a number/);
	});

	it('fails its activation with the message the user sees when the token is refused', async () => {
		await expect(activate({ token: 'wrong-token' })).rejects.toThrow(
			/Boticord's gateway refused the API token/,
		);
	});

	it("fails a user's activation at once when the gateway cannot be reached", async () => {
		await gateway.close();
		await expect(activate({ activation: 'activate' })).rejects.toThrow(
			/Could not connect to Boticord's gateway at ws:\/\/127\.0\.0\.1:\d+\/websocket\/ \(connection refused\)\. Check that n8n can reach it/,
		);
	});

	it.each([['init'], ['leadershipChange']] as Array<[WorkflowActivateMode]>)(
		'starts anyway when n8n activates it on %p while the gateway is down, and connects once it is up',
		async (activation) => {
			await gateway.close();
			const { emitted } = await activate({ activation });
			await gateway.restart(0);
			await until(() => gateway.connected === 1, 'the connection', 10_000);
			gateway.notify(notifyData('up_added'));
			await until(() => emitted.length === 1, 'the item');
		},
	);

	it('still fails on n8n starting when the token is refused', async () => {
		await expect(activate({ activation: 'init', token: 'wrong-token' })).rejects.toThrow(
			/refused the API token/,
		);
	});

	it('refuses a gateway address that is not a WebSocket one, and an outage threshold that is no number of minutes', async () => {
		await expect(
			activate({ options: { gatewayUrl: 'https://gateway.boticord.top/' } }),
		).rejects.toThrow(/not a WebSocket address/);
		await expect(activate({ options: { outageAlertMinutes: 0 } })).rejects.toThrow(
			/Report Outages After must be a number of minutes, 1 or more, not "0"/,
		);
	});

	it('maps the gateway\'s "affected" to the webhook route\'s "id", and keeps an "id" it sends instead', () => {
		expect(asWebhookNotification({ type: 'x', affected: '1', user: '2' })).toEqual({
			type: 'x',
			id: '1',
			user: '2',
		});
		expect(asWebhookNotification({ type: 'x', id: '3', user: '2' })).toEqual({
			type: 'x',
			id: '3',
			user: '2',
		});
		expect(asWebhookNotification({ type: 'x', affected: '1', id: '3' })).toEqual({
			type: 'x',
			id: '1',
		});
	});
});

describe('Boticord Gateway Trigger: where the user learns of trouble', () => {
	const options = { gatewayUrl: 'ws://127.0.0.1:9/websocket/' };

	it('records an outage as a failed execution where n8n can (2.x), and logs it as an error', () => {
		const { context, failedExecutions, errors, log } = triggerContext({ parameters: {} });
		gatewayClientOptions(context, TOKEN, ['*'], options).onOutage('The gateway is gone.');
		expect(failedExecutions).toEqual([expect.any(NodeOperationError)]);
		expect(failedExecutions[0].message).toBe('The gateway is gone.');
		expect((failedExecutions[0] as NodeOperationError).description).toMatch(
			/Check that n8n can reach Boticord's gateway/,
		);
		expect(errors).toEqual([]);
		expect(log.lines).toEqual([['error', 'The gateway is gone.']]);
	});

	it('logs an outage as an error where n8n cannot record a failed execution (1.x), and never deactivates the workflow for it', () => {
		const { context, errors, log } = triggerContext({
			parameters: {},
			canSaveFailedExecution: false,
		});
		gatewayClientOptions(context, TOKEN, ['*'], options).onOutage('The gateway is gone.');
		expect(errors).toEqual([]);
		expect(log.lines).toEqual([['error', 'The gateway is gone.']]);
	});

	it('reports a refused token through n8n, which deactivates the workflow', () => {
		const { context, errors } = triggerContext({ parameters: {} });
		gatewayClientOptions(context, TOKEN, ['*'], options).onRefused(new Error('refused') as never);
		expect(errors).toEqual([expect.any(NodeOperationError)]);
	});

	it.each([
		['activate', 'required'],
		['manual', 'required'],
		['update', 'required'],
		['init', 'background'],
		['leadershipChange', 'background'],
	] as Array<[WorkflowActivateMode, string]>)(
		'on %p, requires the first connection: %p',
		(activation, firstConnection) => {
			const { context } = triggerContext({ parameters: {}, activation });
			expect(gatewayClientOptions(context, TOKEN, ['*'], options).firstConnection).toBe(
				firstConnection,
			);
		},
	);

	it('reports outages after the minutes the option gives, five by default', () => {
		const { context } = triggerContext({ parameters: {} });
		expect(gatewayClientOptions(context, TOKEN, ['*'], options).timings).toEqual({
			outageReportMs: 5 * 60_000,
		});
		expect(
			gatewayClientOptions(context, TOKEN, ['*'], { ...options, outageAlertMinutes: 15 }).timings,
		).toEqual({ outageReportMs: 15 * 60_000 });
	});
});
