"""Protections and reports in team rooms (moderation bot): the warnings after a message was
removed, the reasons shown with a removal or a kick, and !signaler."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- Warnings, in reply to the removed message (the word itself is never repeated) -------
    "protection.warning.words": {
        "fr": "{author}, votre message a été retiré : il contenait un mot interdit dans les "
        "salons de la campagne.",
        "en": "{author}, your message was removed: it contained a word that is not allowed in "
        "the campaign's rooms.",
    },
    "protection.warning.new_member_links": {
        "fr": "{author}, votre message a été retiré : les nouveaux membres ne peuvent pas encore "
        "envoyer seulement des liens ou des fichiers. Présentez-vous d'abord en quelques mots !",
        "en": "{author}, your message was removed: new members cannot send only links or files "
        "yet. Introduce yourself in a few words first!",
    },
    "protection.warning.mentions": {
        "fr": "{author}, votre message a été retiré : il mentionnait trop de personnes (au plus "
        "{limit} par message, et pas tout le salon avec @room).",
        "en": "{author}, your message was removed: it mentioned too many people (at most "
        "{limit} per message, and not the whole room with @room).",
    },
    "protection.strikes_left.one": {
        "fr": "Encore {count} avertissement et vous serez exclu des salons de la campagne.",
        "en": "{count} more warning and you will be banned from the campaign's rooms.",
    },
    "protection.strikes_left.many": {
        "fr": "Encore {count} avertissements et vous serez exclu des salons de la campagne.",
        "en": "{count} more warnings and you will be banned from the campaign's rooms.",
    },
    "protection.banned": {
        "fr": "C'était le dernier avertissement : vous êtes exclu de tous les salons de la "
        "campagne.",
        "en": "That was the last warning: you are banned from every room of the campaign.",
    },
    # --- Reasons shown in the room with the removal, the kick, and the ban rule ----------------
    "protection.redact_reason": {
        "fr": "Message retiré par la modération",
        "en": "Message removed by moderation",
    },
    "protection.kick_reason": {
        "fr": "Nom d'affichage contraire aux règles de la campagne : changez-le avant de revenir",
        "en": "Display name against the campaign's rules: change it before coming back",
    },
    "protection.ban_reason": {
        "fr": "{count} avertissements",
        "en": "{count} warnings",
    },
    # --- !signaler ---------------------------------------------------------------------------
    "help.signaler": {
        "fr": "dans le salon d'une équipe, en réponse à un message : le signale aux modérateurs "
        "de la campagne, avec une raison si vous voulez (« !signaler propos insultants »)",
        "en": "in a team's room, in reply to a message: reports it to the campaign's "
        "moderators, with a reason if you like (“!report insults”)",
    },
    "report.usage": {
        "fr": "Répondez au message à signaler avec !signaler [raison], par exemple « !signaler "
        "propos insultants ».",
        "en": "Reply to the message to report with !report [reason], for example “!report "
        "insults”.",
    },
    "report.not_a_reply": {
        "fr": "!signaler se tape en réponse au message à signaler.",
        "en": "!report is typed in reply to the message to report.",
    },
    "report.not_a_team_room": {
        "fr": "!signaler sert à signaler un message du salon d'une équipe : tapez-le là-bas.",
        "en": "!report reports a message of a team's room: type it there.",
    },
    "report.unreadable": {
        "fr": "Je n'arrive pas à lire ce message (il a peut-être été supprimé, ou je n'ai pas "
        "sa clé de chiffrement) : je ne peux pas le signaler.",
        "en": "I cannot read that message (it may have been deleted, or I lack its encryption "
        "key): I cannot report it.",
    },
    "report.bot_message": {
        "fr": "Ce message vient d'un bot de la campagne : il ne se signale pas. Si un bot pose "
        "problème, prévenez un administrateur.",
        "en": "That message comes from one of the campaign's bots: it cannot be reported. If a "
        "bot misbehaves, tell an administrator.",
    },
    "report.own_message": {
        "fr": "C'est votre propre message : modifiez-le ou supprimez-le plutôt.",
        "en": "That is your own message: edit or delete it instead.",
    },
    "report.sent_privately": {
        "fr": "🚩 Merci, votre signalement du message de {author} dans {room} est arrivé aux "
        "modérateurs de la campagne ; ils vont le regarder. Je vous réponds ici, en privé, et "
        "j'ai retiré votre commande du salon (il n'y reste qu'un message supprimé).",
        "en": "🚩 Thank you, your report of {author}'s message in {room} reached the campaign's "
        "moderators; they will look at it. I am answering here, privately, and I removed your "
        "command from the room (only a deleted message is left there).",
    },
    "report.sent": {
        "fr": "🚩 Merci, votre signalement est arrivé aux modérateurs de la campagne ; ils vont "
        "regarder ce message. J'ai retiré votre commande du salon.",
        "en": "🚩 Thank you, your report reached the campaign's moderators; they will look at "
        "that message. I removed your command from the room.",
    },
    "report.already": {
        "fr": "Vous avez déjà signalé ce message : les modérateurs l'ont reçu. J'ai retiré cette "
        "nouvelle commande du salon.",
        "en": "You already reported that message: the moderators have it. I removed this new "
        "command from the room.",
    },
    "report.command_reason": {
        "fr": "Signalement transmis aux modérateurs",
        "en": "Report passed on to the moderators",
    },
}
