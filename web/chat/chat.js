// The parents' web chat: gets a conversation token from the server, then runs the official
// Web Chat on our Direct Line facade. (Served as is; no build step.)
(function () {
  'use strict';

  var status = document.getElementById('chat-status');
  var element = document.getElementById('webchat');

  function fail() {
    // The phone number comes from the page (services/helpdesk/contact.ts, filled in by the server).
    status.textContent =
      "L'assistant n'est pas disponible pour le moment. Réessayez dans quelques minutes, ou appelez la plateforme d'assistance au " +
      status.getAttribute('data-help-phone') +
      '.';
  }

  if (!window.WebChat || !window.fetch) {
    fail();
    return;
  }

  // Outside production the server honours ?as=<id> (try the staff conversations); in production it ignores it.
  var as = new URLSearchParams(window.location.search).get('as');
  var url = '/api/webchat/token' + (as ? '?as=' + encodeURIComponent(as) : '');

  var styleOptions = {
    accent: '#000091',
    primaryFont: 'Marianne, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif',
    subtle: '#3a3a3a',
    timestampColor: '#3a3a3a',
    bubbleBackground: '#f6f6f6',
    bubbleBorderColor: '#dddddd',
    bubbleBorderRadius: 4,
    bubbleTextColor: '#161616',
    bubbleFromUserBackground: '#000091',
    bubbleFromUserBorderColor: '#000091',
    bubbleFromUserBorderRadius: 4,
    bubbleFromUserTextColor: '#ffffff',
    bubbleMaxWidth: 600,
    sendBoxTextColor: '#161616',
    sendBoxPlaceholderColor: '#595959',
    sendBoxButtonColor: '#000091',
    sendBoxButtonColorOnHover: '#1212ff',
    sendBoxBorderTop: 'solid 1px #dddddd',
    suggestedActionTextColor: '#000091',
    suggestedActionBorderColor: '#000091',
    suggestedActionBackgroundColor: '#ffffff',
    // Suggestions wrap on several lines (the carousel's arrows covered a button), scrolling past 9 rem.
    suggestedActionLayout: 'flow',
    suggestedActionsFlowMaxHeight: '9rem',
    hideUploadButton: true,
    botAvatarInitials: 'EC',
    userAvatarInitials: 'Moi',
  };

  // The conversation fills the first screen: the send box is visible on arrival, whatever the
  // window's size (site.css gives a fixed height without JavaScript).
  var MIN_HEIGHT = 288;
  var MAX_HEIGHT = 768;
  function fit() {
    var top = element.getBoundingClientRect().top + window.scrollY;
    var height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, window.innerHeight - top - 8));
    element.style.height = height + 'px';
  }
  fit();
  window.addEventListener('resize', fit);

  // Timestamps in French for screen readers too: Web Chat's own say "8:57 AM" in any language.
  // Its renderers return React elements; without React on the page, ours are built as plain
  // element objects with the marker taken from Web Chat's own element.
  var SPOKEN = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });
  var SHOWN = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
  function spoken(date) {
    var parts = {};
    SPOKEN.formatToParts(date).forEach(function (p) {
      parts[p.type] = p.value;
    });
    return 'Envoyé le ' + parts.day + ' ' + parts.month + ' à ' + Number(parts.hour) + ' h ' + parts.minute;
  }
  function reactElement(marker, type, key, props, children) {
    return { $$typeof: marker, type: type, key: key, ref: null, props: Object.assign({ children: children }, props), _owner: null };
  }
  function timestampMiddleware() {
    return function (next) {
      return function (args) {
        var original = next(args);
        var date = args.activity && args.activity.timestamp ? new Date(args.activity.timestamp) : undefined;
        if (args.sendState !== 'sent' || !date || isNaN(date.getTime()) || !original || !original.$$typeof) return original;
        var m = original.$$typeof;
        var label = reactElement(m, 'span', 'said', { className: 'visually-hidden' }, spoken(date));
        var shown = args.hideTimestamp ? null : reactElement(m, 'span', 'shown', { 'aria-hidden': 'true' }, SHOWN.format(date));
        return reactElement(m, 'time', null, { className: 'chat-time', dateTime: date.toISOString() }, shown ? [shown, label] : [label]);
      };
    };
  }

  window
    .fetch(url, { method: 'POST', credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) throw new Error('token ' + response.status);
      return response.json();
    })
    .then(function (body) {
      var directLine = window.WebChat.createDirectLine({
        domain: window.location.origin + '/v3/directline',
        token: body.token,
        webSocket: true,
      });
      window.WebChat.renderWebChat(
        { directLine: directLine, locale: 'fr-FR', styleOptions: styleOptions, activityStatusMiddleware: timestampMiddleware },
        element,
      );
    })
    .catch(fail);
})();
