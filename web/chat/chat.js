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
    hideUploadButton: true,
    botAvatarInitials: 'EC',
    userAvatarInitials: 'Moi'
  };

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
        webSocket: true
      });
      window.WebChat.renderWebChat({ directLine: directLine, locale: 'fr-FR', styleOptions: styleOptions }, element);
    })
    .catch(fail);
})();
