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
	nodeCreator: '[data-test-id="node-creator"]',
	item: '[data-test-id="item-iterator-item"]',
	itemName: '[data-test-id="node-creator-item-name"]',
	ndv: '[data-test-id="ndv"]',
	// the pane with the Parameters tab; it has no data-test-id of its own
	ndvParameters: '.node-settings',
	parameter: (name) => `[data-test-id="parameter-input-${name}"]`,
	option: '.el-select-dropdown__item',
	// an option with a description renders its name in a headline of its own
	optionName: '.option-headline',
	// 2.x: a "Connect to <credential>" button; 1.x: a select with "Create new credential"
	credentialEmpty: '[data-test-id="node-credentials-empty-state"]',
	credentialSelect: '[data-test-id="node-credentials-select"]',
	credentialNew: '[data-test-id="node-credentials-select-item-new"]',
	credentialModal: '[data-test-id="editCredential-modal"]',
	credentialFields: '[data-test-id="node-credentials-config-container"]',
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

// Matches an element whose whole text is `text` (hasText alone matches substrings).
function exactText(text) {
	return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

// Clicks a search result by its name as listed (the creator drops a trailing
// "Trigger"). A trigger with an `events` options parameter opens a details
// panel whose items are "On <event>"; pass `action` to pick one of them.
async function addNode(page, listedName, { action } = {}) {
	await page
		.locator(sel.itemName, { hasText: exactText(listedName) })
		.first()
		.click();
	if (action) await page.locator(sel.itemName, { hasText: action }).first().click();
	await page.waitForSelector(sel.ndv);
}

// Opens a dropdown parameter (options / multiOptions) in the node panel and
// returns the option locator, labels (name and description run together) and
// names. The dropdown is teleported to <body>; the select's combobox names it
// in aria-controls. `popper` is the floating box a screenshot should include,
// `viewport` the part of it the options scroll in.
async function openParameter(page, name) {
	const param = page.locator(sel.parameter(name));
	await param.click();
	const listId = await param.locator('[aria-controls]').first().getAttribute('aria-controls');
	const list = page.locator(`[id="${listId}"]`);
	const options = list.locator(sel.option);
	await options.first().waitFor();
	await settle(page); // it zooms in: until then, its boxes are scaled
	const labels = (await options.allTextContents()).map((t) => t.trim());
	const names = await options.evaluateAll(
		(items, headline) =>
			items.map((item) => (item.querySelector(headline) || item).textContent.trim()),
		sel.optionName,
	);
	const popper = page.locator('.el-select__popper', { has: list });
	const viewport = popper.locator('.el-scrollbar__wrap');
	return { options, labels, names, popper, viewport };
}

// Clicks options by label in an open dropdown (toggles them in a multiOptions).
async function chooseOptions({ options }, ...labels) {
	for (const label of labels) await options.filter({ hasText: label }).first().click();
}

// Opens the "create credential" dialog from the node panel's credential field,
// the way each major offers it, and returns the dialog.
async function createCredentialFromNode(page) {
	const empty = page.locator(sel.credentialEmpty);
	await page.locator(`${sel.credentialEmpty}, ${sel.credentialSelect}`).first().waitFor();
	if (await empty.isVisible()) {
		await empty.click();
	} else {
		await page.click(sel.credentialSelect);
		await page.click(sel.credentialNew);
	}
	const modal = page.locator(sel.credentialModal);
	await modal.waitFor();
	await page.locator(sel.credentialFields).waitFor();
	await settle(page);
	return modal;
}

// Waits until no finite animation or transition runs (panels slide in, dropdowns
// zoom in): a screenshot taken mid-transition shows half-transparent overlaps.
// Infinite ones (spinners) are ignored, or this would never return.
async function settle(page) {
	await page.waitForFunction(() =>
		document
			.getAnimations()
			.every(
				(a) =>
					a.playState !== 'running' ||
					!Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity),
			),
	);
}

// Whether an element lies wholly inside a container's box: isVisible() is also
// true for options scrolled out of a dropdown's view.
async function isInView(loc, container) {
	const [box, area] = await Promise.all([loc.boundingBox(), container.boundingBox()]);
	if (!box || !area) return false;
	return (
		box.y >= area.y - 1 &&
		box.y + box.height <= area.y + area.height + 1 &&
		box.x >= area.x - 1 &&
		box.x + box.width <= area.x + area.width + 1
	);
}

async function boxOf(loc) {
	const box = await loc.boundingBox();
	if (!box) throw new Error(`${loc} is not on screen`);
	return box;
}

// Saves a PNG of the part of the page the `around` locators cover together
// (plus padding), clamped to the viewport; without them, the whole viewport.
// `until` (a locator) cuts the area off below it: tall panels are mostly empty.
async function screenshot(page, file, { around = [], until, padding = 12 } = {}) {
	await settle(page); // boxes are only final once panels stopped sliding in
	let clip;
	if (around.length > 0) {
		const boxes = await Promise.all(around.map(boxOf));
		const vp = page.viewportSize();
		const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - padding);
		const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - padding);
		const right = Math.min(vp.width, Math.max(...boxes.map((b) => b.x + b.width)) + padding);
		let bottom = Math.max(...boxes.map((b) => b.y + b.height));
		if (until) {
			const end = await boxOf(until);
			bottom = Math.min(bottom, end.y + end.height);
		}
		bottom = Math.min(vp.height, bottom + padding);
		clip = { x, y, width: right - x, height: bottom - y };
	}
	fs.mkdirSync(path.dirname(file), { recursive: true });
	// ends anything still moving and hides the text caret, so reruns give the same image
	await page.screenshot({ path: file, clip, animations: 'disabled', caret: 'hide' });
	return file;
}

module.exports = {
	CHROMIUM_ARGS,
	sel,
	exactText,
	launchBrowser,
	signIn,
	openNewWorkflow,
	openNodeCreator,
	searchNodes,
	addNode,
	openParameter,
	chooseOptions,
	createCredentialFromNode,
	settle,
	isInView,
	screenshot,
};
