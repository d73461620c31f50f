// The graph canvas's pointer work, done in the browser so that dragging a node, drawing an edge, panning and zooming
// follow the pointer at the screen's frame rate. The circuit hears once per gesture, when it ends (a move, a
// connection, a selection, a view); the edit itself, its rules and the undo history stay in C# (GraphDraft).

const snapDistance = 28; // pixels on screen within which a drawn edge snaps to a valid input
const clickSlop = 4;     // pixels a pointer may travel and still count as a click

/** The edge's curve: the same rule as GraphLayout.Curve on the server. */
function curve(x1, y1, x2, y2) {
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  const n = (v) => Math.round(v * 10) / 10;
  return `M${n(x1)},${n(y1)} C${n(x1 + bend)},${n(y1)} ${n(x2 - bend)},${n(y2)} ${n(x2)},${n(y2)}`;
}

export function attach(root, dotnet) {
  const svg = root.querySelector("svg[data-canvas]");
  const view = () => {
    const g = svg.querySelector("[data-viewport]");
    return { g, x: +g.dataset.panX, y: +g.dataset.panY, zoom: +g.dataset.zoom };
  };
  const toGraph = (event) => {
    const box = svg.getBoundingClientRect();
    const v = view();
    return { x: (event.clientX - box.left - v.x) / v.zoom, y: (event.clientY - box.top - v.y) / v.zoom };
  };
  const setView = (x, y, zoom) => {
    const g = view().g;
    g.dataset.panX = x; g.dataset.panY = y; g.dataset.zoom = zoom;
    g.setAttribute("transform", `translate(${x},${y}) scale(${zoom})`);
  };

  let gesture = null;

  function startNodeDrag(event, nodeElement) {
    const id = nodeElement.dataset.nodeId;
    const selected = nodeElement.classList.contains("selected");
    const ids = selected
      ? [...svg.querySelectorAll("g.node.selected")].map((n) => n.dataset.nodeId)
      : [id];
    const nodes = ids.map((nodeId) => {
      const element = svg.querySelector(`g.node[data-node-id="${CSS.escape(nodeId)}"]`);
      return { element, x: +element.dataset.x, y: +element.dataset.y };
    });
    const moving = new Set(ids);
    const edges = [...svg.querySelectorAll("path[data-edge]")]
      .filter((e) => moving.has(e.dataset.fromNode) || moving.has(e.dataset.toNode))
      .map((e) => ({ element: e, from: moving.has(e.dataset.fromNode), to: moving.has(e.dataset.toNode) }));
    gesture = { kind: "node", id, ids, nodes, edges, start: toGraph(event), screen: { x: event.clientX, y: event.clientY }, moved: false, shift: event.shiftKey };
  }

  function moveNodes(event) {
    const at = toGraph(event);
    const dx = at.x - gesture.start.x, dy = at.y - gesture.start.y;
    gesture.dx = dx; gesture.dy = dy;
    for (const n of gesture.nodes) {
      n.element.setAttribute("transform", `translate(${n.x + dx},${n.y + dy})`);
    }
    for (const e of gesture.edges) {
      const d = e.element.dataset;
      const hit = e.element.nextElementSibling;
      const path = curve(+d.x1 + (e.from ? dx : 0), +d.y1 + (e.from ? dy : 0), +d.x2 + (e.to ? dx : 0), +d.y2 + (e.to ? dy : 0));
      e.element.setAttribute("d", path);
      if (hit && hit.matches("[data-edge-hit]")) hit.setAttribute("d", path);
    }
  }

  async function startEdge(event, port) {
    const draft = svg.querySelector("[data-edge-draft]");
    const origin = { x: +port.dataset.cx, y: +port.dataset.cy };
    gesture = { kind: "edge", from: port.dataset.port, origin, draft, targets: [], snapped: null };
    draft.setAttribute("d", curve(origin.x, origin.y, origin.x, origin.y));
    draft.classList.add("drawing");
    svg.classList.add("connecting");
    const current = gesture;
    const valid = await dotnet.invokeMethodAsync("TargetsFor", current.from);
    if (gesture !== current) return;
    current.targets = valid
      .map((address) => svg.querySelector(`[data-port-kind="in"][data-port="${CSS.escape(address)}"]`))
      .filter((element) => element);
    current.targets.forEach((t) => t.classList.add("port-valid"));
  }

  function moveEdge(event) {
    const at = toGraph(event);
    const zoom = view().zoom;
    let best = null, bestDistance = snapDistance / zoom;
    for (const t of gesture.targets) {
      const distance = Math.hypot(+t.dataset.cx - at.x, +t.dataset.cy - at.y);
      if (distance < bestDistance) { best = t; bestDistance = distance; }
    }
    if (gesture.snapped !== best) {
      gesture.snapped?.classList.remove("port-snap");
      best?.classList.add("port-snap");
      gesture.snapped = best;
    }
    const end = best ? { x: +best.dataset.cx, y: +best.dataset.cy } : at;
    gesture.draft.setAttribute("d", curve(gesture.origin.x, gesture.origin.y, end.x, end.y));
  }

  function endEdge(g, event) {
    g.draft.classList.remove("drawing");
    g.draft.setAttribute("d", "");
    svg.classList.remove("connecting");
    g.targets.forEach((t) => t.classList.remove("port-valid", "port-snap"));
    // A valid input it snapped to is connected; an input it was dropped on without snapping is asked for, so that the
    // person hears why it was refused.
    const under = document.elementFromPoint(event.clientX, event.clientY)?.closest?.('[data-port-kind="in"]');
    const target = g.snapped ?? under;
    if (target) dotnet.invokeMethodAsync("Connect", g.from, target.dataset.port);
  }

  function startBackground(event) {
    const start = toGraph(event);
    if (event.shiftKey) {
      const band = svg.querySelector("[data-rubber-band]");
      gesture = { kind: "band", start, band, end: start };
      band.classList.add("drawing");
    } else {
      const v = view();
      gesture = { kind: "pan", screen: { x: event.clientX, y: event.clientY }, origin: v, moved: false };
    }
  }

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    const edge = event.target.closest("[data-edge-hit]");
    if (edge) {
      dotnet.invokeMethodAsync("SelectEdge", +edge.dataset.edgeHit);
      return;
    }
    const port = event.target.closest('[data-port-kind="out"]');
    const node = event.target.closest("g.node");
    if (port) startEdge(event, port);
    else if (node) startNodeDrag(event, node);
    else startBackground(event);
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
    root.querySelector("[data-canvas-focus]")?.focus({ preventScroll: true });
  });

  svg.addEventListener("pointermove", (event) => {
    if (!gesture) return;
    if (gesture.kind === "node") {
      if (!gesture.moved && Math.hypot(event.clientX - gesture.screen.x, event.clientY - gesture.screen.y) < clickSlop) return;
      gesture.moved = true;
      moveNodes(event);
    } else if (gesture.kind === "edge") {
      moveEdge(event);
    } else if (gesture.kind === "band") {
      gesture.end = toGraph(event);
      const x = Math.min(gesture.start.x, gesture.end.x), y = Math.min(gesture.start.y, gesture.end.y);
      gesture.band.setAttribute("x", x); gesture.band.setAttribute("y", y);
      gesture.band.setAttribute("width", Math.abs(gesture.end.x - gesture.start.x));
      gesture.band.setAttribute("height", Math.abs(gesture.end.y - gesture.start.y));
    } else if (gesture.kind === "pan") {
      const dx = event.clientX - gesture.screen.x, dy = event.clientY - gesture.screen.y;
      if (!gesture.moved && Math.hypot(dx, dy) < clickSlop) return;
      gesture.moved = true;
      setView(gesture.origin.x + dx, gesture.origin.y + dy, gesture.origin.zoom);
    }
  });

  const finish = (event) => {
    const g = gesture;
    gesture = null;
    if (!g) return;
    if (g.kind === "node") {
      if (g.moved) dotnet.invokeMethodAsync("MoveNodes", g.ids, g.dx, g.dy);
      else dotnet.invokeMethodAsync("Select", g.id, g.shift);
    } else if (g.kind === "edge") {
      endEdge(g, event);
    } else if (g.kind === "band") {
      g.band.classList.remove("drawing");
      g.band.setAttribute("width", 0); g.band.setAttribute("height", 0);
      const x = Math.min(g.start.x, g.end.x), y = Math.min(g.start.y, g.end.y);
      dotnet.invokeMethodAsync("SelectArea", x, y, Math.abs(g.end.x - g.start.x), Math.abs(g.end.y - g.start.y));
    } else if (g.kind === "pan") {
      const v = view();
      if (g.moved) dotnet.invokeMethodAsync("SetView", v.x, v.y, v.zoom);
      else dotnet.invokeMethodAsync("Select", null, false);
    }
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", finish);

  let viewTimer = 0;
  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    const box = svg.getBoundingClientRect();
    const v = view();
    const zoom = Math.min(2.5, Math.max(0.25, v.zoom * Math.exp(-event.deltaY * 0.0015)));
    const px = event.clientX - box.left, py = event.clientY - box.top;
    setView(px - (px - v.x) * (zoom / v.zoom), py - (py - v.y) * (zoom / v.zoom), zoom);
    clearTimeout(viewTimer);
    viewTimer = setTimeout(() => { const w = view(); dotnet.invokeMethodAsync("SetView", w.x, w.y, w.zoom); }, 150);
  }, { passive: false });

  // Blocks dragged from the palette: the drop point, in the graph's units, is where the new node's corner goes.
  // The palette sits beside the canvas, not in it: its drags are heard on the document while the canvas is shown.
  const dragStart = (event) => {
    const block = event.target.closest?.("[data-block]");
    if (!block) return;
    event.dataTransfer.setData("application/x-graphexec-block", block.dataset.block);
    event.dataTransfer.effectAllowed = "copy";
  };
  document.addEventListener("dragstart", dragStart);
  svg.addEventListener("dragover", (event) => {
    if (event.dataTransfer.types.includes("application/x-graphexec-block")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  });
  svg.addEventListener("drop", (event) => {
    const block = event.dataTransfer.getData("application/x-graphexec-block");
    if (!block) return;
    event.preventDefault();
    const at = toGraph(event);
    dotnet.invokeMethodAsync("AddBlock", block, at.x, at.y);
  });

  // The canvas's shortcuts reach C# through Blazor's keydown; here they only stop the browser's own meaning (scrolling).
  root.querySelector("[data-canvas-focus]")?.addEventListener("keydown", (event) => {
    const command = event.ctrlKey || event.metaKey;
    if (event.key.startsWith("Arrow") || (command && "zyacv".includes(event.key.toLowerCase()))) event.preventDefault();
  });

  return {
    detach() {
      document.removeEventListener("dragstart", dragStart);
    },
    size() {
      const box = svg.getBoundingClientRect();
      return [box.width, box.height];
    },
  };
}
