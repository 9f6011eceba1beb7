'use strict';
// Drives the n8n editor in Debian's Chromium through playwright-core, for
// screenshots of the package's nodes as a user sees them. Selectors are the
// editor's data-test-id attributes, which are the same in n8n 1.123 and 2.40.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

// Without the background-networking flags Chromium keeps trying hosts that this
// machine cannot reach. Playwright adds --headless itself (headless: true).
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const sel = {
	email: 'input[name="emailOrLdapLoginId"]',
	password: 'input[name="password"]',
	signIn: '[data-test-id="form-submit-button"]',
	canvas: '[data-test-id="canvas"]',
	firstStep: '[data-test-id="canvas-plus-button"]',
	addNode: '[data-test-id="node-creator-plus-button"]',
	search: '[data-test-id="node-creator-search-bar"]',
	itemName: '[data-test-id="node-creator-item-name"]',
	ndv: '[data-test-id="ndv"]',
	parameter: (name) => `[data-test-id="parameter-input-${name}"]`,
	option: '.el-select-dropdown__item',
};

async function launchBrowser({
	executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	viewport = { width: 1440, height: 900 },
} = {}) {
	// a fresh profile each time (launch() refuses --user-data-dir in args)
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport,
	});
	const page = context.pages()[0] || (await context.newPage());
	async function close() {
		await context.close().catch(() => {});
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	return { context, page, close };
}

async function signIn(page, n8n) {
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.fill(sel.email, n8n.owner.email);
	await page.fill(sel.password, n8n.owner.password);
	await page.click(sel.signIn);
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

async function openNewWorkflow(page, n8n) {
	await page.goto(`${n8n.baseUrl}/workflow/new`);
	await page.waitForSelector(sel.canvas);
}

// The big "Add first step" button on an empty canvas, the "+" otherwise.
async function openNodeCreator(page) {
	const first = page.locator(sel.firstStep);
	if (await first.isVisible()) await first.click();
	else await page.click(sel.addNode);
	await page.waitForSelector(sel.search);
}

// Types into the node search and waits until the list shows a match for
// `expect` (default: the text typed), since it filters as you type.
async function searchNodes(page, text, { expect = text } = {}) {
	await page.fill(sel.search, text);
	await page.locator(sel.itemName, { hasText: expect }).first().waitFor();
	return (await page.locator(sel.itemName).allTextContents()).map((t) => t.trim());
}

// Clicks a search result by its name as listed (the creator drops a trailing
// "Trigger"). A trigger with an `events` options parameter opens a details
// panel whose items are "On <event>"; pass `action` to pick one of them.
async function addNode(page, listedName, { action } = {}) {
	const exact = new RegExp(`^\\s*${listedName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
	await page.locator(sel.itemName, { hasText: exact }).first().click();
	if (action) await page.locator(sel.itemName, { hasText: action }).first().click();
	await page.waitForSelector(sel.ndv);
}

// Opens a dropdown parameter (options / multiOptions) in the node panel and
// returns the option locator and labels. The dropdown is teleported to <body>;
// the select's combobox names it in aria-controls.
async function openParameter(page, name) {
	const param = page.locator(sel.parameter(name));
	await param.click();
	const listId = await param.locator('[aria-controls]').first().getAttribute('aria-controls');
	const options = page.locator(`[id="${listId}"] ${sel.option}`);
	await options.first().waitFor();
	const labels = (await options.allTextContents()).map((t) => t.trim());
	return { options, labels };
}

// Clicks options by label in an open dropdown (toggles them in a multiOptions).
async function chooseOptions({ options }, ...labels) {
	for (const label of labels) await options.filter({ hasText: label }).first().click();
}

module.exports = {
	CHROMIUM_ARGS,
	sel,
	launchBrowser,
	signIn,
	openNewWorkflow,
	openNodeCreator,
	searchNodes,
	addNode,
	openParameter,
	chooseOptions,
};
