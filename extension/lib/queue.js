// Flags the server could not take yet wait in chrome.storage.local["queue"] and are sent again
// by an alarm (chrome.alarms survives the service worker being stopped), backing off from one
// minute to an hour, or as late as a 429's Retry-After asks. The toolbar badge shows how many
// wait. What a retry delivered is kept in "delivered" (the last few) for the popup to show.
(() => {
  const tw = (globalThis.tropewatch = globalThis.tropewatch || {});
  const ALARM = "tropewatch-retry";
  const KEEP_DELIVERED = 10;

  const read = async (key) => (await chrome.storage.local.get(key))[key] || [];

  const showCount = (queue) =>
    chrome.action.setBadgeText({ text: queue.length ? String(queue.length) : "" });

  const schedule = async (queue) => {
    if (!queue.length) return chrome.alarms.clear(ALARM);
    const when = Math.min(...queue.map((entry) => entry.nextAt));
    return chrome.alarms.create(ALARM, { when: Math.max(when, Date.now() + 1000) });
  };

  const backoffMinutes = (attempts) => Math.min(60, 2 ** Math.max(0, attempts - 1));

  const save = async (queue) => {
    try {
      await chrome.storage.local.set({ queue });
    } catch {
      // Over the storage quota: screenshots are the heavy part; the flags themselves are kept.
      for (const entry of queue) delete entry.body.screenshot;
      await chrome.storage.local.set({ queue });
    }
    await showCount(queue);
    await schedule(queue);
  };

  tw.enqueue = async (body, result) => {
    const queue = await read("queue");
    const wait = result.retryAfter != null ? result.retryAfter * 1000 : 60_000;
    queue.push({
      id: crypto.randomUUID(),
      body,
      attempts: 1,
      nextAt: Date.now() + wait,
      lastError: result.reason,
    });
    await save(queue);
    return queue.length;
  };

  tw.queued = () => read("queue");
  tw.delivered = () => read("delivered");

  // Sends every waiting flag once (all of them, whatever their time: the alarm fired for the
  // earliest, and the server is likely back for all). Returns how many are still waiting.
  // One run at a time: the alarm and a browser start may both ask, and a flag must go once.
  let running = null;
  tw.retryQueued = () => {
    running = running || retryAll().finally(() => { running = null; });
    return running;
  };

  const retryAll = async () => {
    const settings = await tw.readSettings();
    const queue = await read("queue");
    if (!settings || !queue.length) return queue.length;
    const waiting = [];
    const delivered = await read("delivered");
    for (const entry of queue) {
      const result = await tw.send(settings, entry.body);
      if (result.outcome === "sent") {
        delivered.unshift({ at: new Date().toISOString(), url: entry.body.url, reply: result.reply });
      } else if (result.outcome === "retry") {
        entry.attempts += 1;
        entry.lastError = result.reason;
        entry.nextAt = Date.now() + (result.retryAfter != null
          ? result.retryAfter * 1000 : backoffMinutes(entry.attempts) * 60_000);
        waiting.push(entry);
      } else {
        delivered.unshift({ at: new Date().toISOString(), url: entry.body.url,
          refused: result.reason });
      }
    }
    await chrome.storage.local.set({ delivered: delivered.slice(0, KEEP_DELIVERED) });
    // Flags queued while these were being sent are kept too.
    const sentIds = new Set(queue.map((entry) => entry.id));
    const added = (await read("queue")).filter((entry) => !sentIds.has(entry.id));
    await save([...waiting, ...added]);
    return waiting.length + added.length;
  };

  tw.RETRY_ALARM = ALARM;
})();
