const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const editor = require('./browser/editor');
const { TEAM_NAME, startFakeBotisimoApi } = require('../harness/fakeBotisimoApi');
const { startN8n } = require('../harness/n8n');
const { waitUntil: until } = require('../harness/processes');
const { e2eVersions } = require('../harness/install');
const { PACKAGE, botisimoApiCredentialData, webhookThen } = require('../harness/workflows');

const { sel, exactText } = editor;

/** Screenshots for the README, rewritten by every run against n8n 2.x. */
const IMAGES = path.resolve(__dirname, '..', '..', 'docs', 'images');
const MAX_IMAGE_BYTES = 250 * 1024;

/**
 * What a user sees of each trigger. `action` is the node panel's entry that
 * adds the node ("On <event>", which n8n derives from the event's name), and
 * `selected` the event it preselects.
 */
const TRIGGERS = [
	{
		provider: 'Boticord',
		node: 'boticordTrigger',
		image: 'boticord',
		webhook: true,
		action: 'On up added',
		selected: 'Up Added',
		events: [
			'All Events',
			'Up Added',
			'Comment Added',
			'Comment Removed',
			'New Bot Bump (Legacy Webhook)',
			'Test Message (Legacy Webhook)',
		],
		credential: {
			name: 'Boticord API',
			// what n8n names a new credential: the type's name without "API", plus "account"
			accountName: 'Boticord account',
			field: 'hookKey',
			label: 'API Token',
			docs: '#boticord-setup',
			notice: [],
		},
	},
	{
		// Connects out: no webhook, so no webhook URL in the node.
		provider: 'Boticord Gateway',
		node: 'boticordGatewayTrigger',
		image: 'boticord-gateway',
		webhook: false,
		action: 'On up added',
		selected: 'Up Added',
		events: ['All Events', 'Up Added', 'Comment Added', 'Comment Edited', 'Comment Removed'],
		credential: {
			name: 'Boticord API',
			accountName: 'Boticord account',
			field: 'hookKey',
			label: 'API Token',
			docs: '#boticord-setup',
			notice: [],
		},
	},
	{
		provider: 'Botisimo',
		node: 'botisimoTrigger',
		image: 'botisimo',
		webhook: true,
		action: 'On connection stream started (Twitch)',
		selected: 'Connection Stream Started (Twitch)',
		events: ['All Events', 'All Connection Events', 'Connection Stream Started (Twitch)'],
		credential: {
			name: 'Botisimo Webhook API',
			accountName: 'Botisimo Webhook account',
			field: 'secret',
			label: 'Secret',
			docs: '#botisimo-setup',
			notice: ['Botisimo does not sign its webhooks', '?token='],
		},
	},
];

describe.each(e2eVersions())('n8n %s editor', (version) => {
	const writeImages = Number(version.split('.')[0]) >= 2;
	let n8n;
	let browser;
	let nodeTypes;
	let page;

	beforeAll(async () => {
		n8n = await startN8n({ version, packageTarball: process.env.E2E_PACKAGE_TARBALL });
		nodeTypes = await n8n.nodeTypes();
		browser = await editor.launchBrowser();
		await editor.signIn(browser.page, n8n);
	});

	afterAll(async () => {
		try {
			if (browser) await browser.close();
		} finally {
			if (n8n) await n8n.stop();
		}
	});

	// A tab of its own per test (the sign-in cookie is shared): an unsaved
	// workflow left open by one test cannot hold up the next one's navigation.
	beforeEach(async () => {
		page = await browser.context.newPage();
	});

	afterEach(async () => {
		await page.close();
	});

	/** Runs a test's steps; on failure, keeps a screenshot of the page and names it in the error. */
	async function asUser(steps) {
		try {
			await steps();
		} catch (err) {
			const file = path.join(os.tmpdir(), `editor-e2e-${version}-${Date.now()}.png`);
			await page.screenshot({ path: file }).catch(() => {});
			err.message += `\n(the page at the failure: ${file})`;
			throw err;
		}
	}

	/** Saves a docs image when testing 2.x; asserts it is a PNG of a sensible size. */
	async function docsImage(name, area) {
		if (!writeImages) return;
		const file = await editor.screenshot(page, path.join(IMAGES, `${name}.png`), area);
		const png = fs.readFileSync(file);
		expect(png.subarray(1, 4).toString()).toBe('PNG');
		expect(png.length).toBeLessThan(MAX_IMAGE_BYTES);
	}

	/** The Events options the running n8n serves for a node, as names, in order. */
	function offeredEvents(node) {
		const type = nodeTypes.find((t) => t.name === `${PACKAGE}.${node}`);
		return type.properties.find((p) => p.name === 'events').options.map((o) => o.name);
	}

	async function addTrigger(trigger) {
		await editor.openNewWorkflow(page, n8n);
		await editor.openNodeCreator(page);
		await editor.searchNodes(page, trigger.provider);
		await editor.addNode(page, trigger.provider, { action: trigger.action });
	}

	describe.each(TRIGGERS)('$provider Trigger', (trigger) => {
		it(`is listed, with its icon, when searching "${trigger.provider}" in the node panel`, () =>
			asUser(async () => {
				await editor.openNewWorkflow(page, n8n);
				await editor.openNodeCreator(page);
				const names = await editor.searchNodes(page, trigger.provider);
				expect(names).toContain(trigger.provider);

				const item = page.locator(sel.item, {
					has: page.locator(sel.itemName, { hasText: exactText(trigger.provider) }),
				});
				expect(await item.isVisible()).toBe(true);
				expect(await page.locator(sel.search).inputValue()).toBe(trigger.provider);
				// the package's own SVG, served by n8n and actually loaded
				const icon = item.locator('img').first();
				expect(await icon.getAttribute('src')).toContain(`/icons/${PACKAGE}/`);
				const loaded = await icon.evaluate((img) =>
					Promise.race([
						img.decode().then(
							() => img.naturalWidth > 0,
							() => false,
						),
						new Promise((resolve) => setTimeout(() => resolve(false), 10000)),
					]),
				);
				expect(loaded).toBe(true);

				await docsImage(`${trigger.image}-node-search`, {
					around: [page.locator(sel.nodeCreator)],
					until: item,
					padding: 16,
				});
			}));

		it('is added from the node panel and lists its events', () =>
			asUser(async () => {
				await addTrigger(trigger);
				const events = await editor.openParameter(page, 'events');

				// every event the node offers, in order, under its own name
				expect(events.names).toEqual(offeredEvents(trigger.node));
				expect(events.names).toEqual(expect.arrayContaining(trigger.events));
				expect(await events.popper.isVisible()).toBe(true);

				// a node that receives webhooks shows their URLs; one that connects out does not
				expect(await page.getByText('Webhook URLs', { exact: true }).isVisible()).toBe(
					trigger.webhook,
				);

				// the event picked in the node panel is the one selected
				const picked = events.options.filter({
					has: page.locator(sel.optionName, { hasText: exactText(trigger.selected) }),
				});
				expect(await picked.getAttribute('aria-selected')).toBe('true');
				expect(await page.locator(sel.parameter('events')).innerText()).toContain(trigger.selected);

				// the list scrolls to each of them, then back to the top for the picture
				for (const name of [...trigger.events, trigger.events[0]]) {
					const option = events.options.filter({
						has: page.locator(sel.optionName, { hasText: exactText(name) }),
					});
					await option.scrollIntoViewIfNeeded();
					expect(await editor.isInView(option, events.viewport)).toBe(true);
				}

				await docsImage(`${trigger.image}-events`, {
					around: [page.locator(sel.ndvParameters), events.popper],
					until: events.popper,
					padding: 4,
				});
			}));

		it('opens the credential dialog with its fields from the node', () =>
			asUser(async () => {
				const { credential } = trigger;
				await addTrigger(trigger);
				const modal = await editor.createCredentialFromNode(page);

				expect(await modal.getByText(credential.name, { exact: true }).isVisible()).toBe(true);
				expect(await modal.locator('[data-test-id="credential-name"]').innerText()).toContain(
					credential.accountName,
				);
				// the field's label comes first; 1.x renders Fixed / Expression as labels too
				const label = modal.locator(`[data-test-id="${credential.field}"] label`).first();
				expect(await label.isVisible()).toBe(true);
				// "<label> *" (required), then the Fixed / Expression switch
				const [title] = (await label.innerText()).split('\n');
				expect(title.trim()).toBe(`${credential.label} *`);
				// the secret is typed into a password field, empty for a new credential
				const input = modal.locator(`${sel.parameter(credential.field)} input`);
				expect(await input.isVisible()).toBe(true);
				expect(await input.getAttribute('type')).toBe('password');
				expect(await input.inputValue()).toBe('');
				// the dialog links to this package's setup section
				const docs = modal.locator(`a[href$="${credential.docs}"]`);
				expect(await docs.isVisible()).toBe(true);
				for (const text of credential.notice) {
					const notice = modal.locator('.notice', { hasText: text });
					expect(await notice.isVisible()).toBe(true);
				}

				await docsImage(`${trigger.image}-credential`, {
					around: [modal],
					until: page.locator(sel.credentialFields),
					padding: 16,
				});
			}));
	});

	describe('Botisimo node', () => {
		const clientId = `e2e${crypto.randomBytes(6).toString('hex')}`;
		let api;

		beforeAll(async () => {
			api = await startFakeBotisimoApi({ clientId });
		});

		afterAll(async () => {
			if (api) await api.close();
		});

		it("lists Tag Names or IDs from the credential's team, by name, to pick from", () =>
			asUser(async () => {
				const credential = await n8n.createCredential(
					'botisimoApi',
					botisimoApiCredentialData(clientId, api.baseUrl, TEAM_NAME),
				);
				const workflow = webhookThen({
					name: 'Botisimo tags',
					path: crypto.randomUUID(),
					nodeType: 'botisimo',
					credentialType: 'botisimoApi',
					credential,
					steps: [['Get or create', { resource: 'loyaltyUser', operation: 'getOrCreate' }]],
				});
				const { id } = await n8n.createWorkflow(workflow);
				// The editor opens a node's panel from its address.
				await page.goto(`${n8n.baseUrl}/workflow/${id}/${workflow.nodes[1].id}`);
				await page.waitForSelector(sel.ndv);
				// The panel loads the list as it opens; the field takes no click until it has.
				const input = page.locator(`${sel.parameter('tagIds')} input`).first();
				await until(
					async () => api.requests.length > 0 && (await input.isEnabled()),
					'the list of tags to load',
				);

				const tags = await editor.openParameter(page, 'tagIds');
				expect(tags.names).toEqual(['Giveaways', 'Streams']);
				await editor.chooseOptions(tags, 'Streams');
				expect(await page.locator(sel.parameter('tagIds')).innerText()).toContain('Streams');

				// The list came from the team's page, asked for without the Client ID.
				expect(api.requests.length).toBeGreaterThan(0);
				for (const request of api.requests) {
					expect(request).toMatchObject({
						method: 'GET',
						path: `/api/v1/loyalty/${TEAM_NAME}`,
						clientId: undefined,
					});
				}
			}));
	});
});
