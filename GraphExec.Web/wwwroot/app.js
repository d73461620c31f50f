// Small browser helpers the Blazor components call.
window.graphexec = {
  async copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // The Clipboard API needs a secure context; select-and-copy works on plain http too.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const copied = document.execCommand("copy");
      area.remove();
      return copied;
    }
  },
  // Renews the session in the sign-in cookie (the answer sets the renewed cookie) and returns the page's next access token,
  // sealed so that no script can read it; null once the session has ended.
  async renewSession() {
    try {
      const response = await fetch(new URL("account/renew", document.baseURI), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-GraphExec-Renew": "1" },
      });
      return response.ok ? (await response.json()).ticket : null;
    } catch {
      return null;
    }
  },
  timeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      return null;
    }
  },
};
