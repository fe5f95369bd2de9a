"""What every bot says: help, unknown commands, greetings, decryption problems."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "help.header": {
        "fr": "Voici ce que je sais faire :",
        "en": "Here is what I can do:",
    },
    "help.footer": {
        "fr": "Écrivez une commande dans ce salon, par exemple {example}.",
        "en": "Type a command in this room, for example {example}.",
    },
    "command.unknown": {
        "fr": "Je ne connais pas la commande « {command} ». Tapez !aide pour la liste.",
        "en": "I don't know the command “{command}”. Type !help for the list.",
    },
    "command.unknown_suggest": {
        "fr": "Je ne connais pas la commande « {command} ». Vouliez-vous dire {suggestion} ? "
        "Tapez !aide pour la liste.",
        "en": "I don't know the command “{command}”. Did you mean {suggestion}? "
        "Type !help for the list.",
    },
    "command.empty": {
        "fr": "Il manque le nom de la commande après « ! ». Tapez !aide pour la liste.",
        "en": "The command name is missing after “!”. Type !help for the list.",
    },
    "command.not_a_command": {
        "fr": "Je réponds aux commandes qui commencent par « ! ». Tapez !aide pour commencer.",
        "en": "I answer commands starting with “!”. Type !help to begin.",
    },
    "command.failed": {
        "fr": "Désolé, quelque chose s'est mal passé de mon côté. Réessayez dans un instant ; "
        "si cela persiste, prévenez un administrateur.",
        "en": "Sorry, something went wrong on my side. Try again in a moment; "
        "if it persists, tell an administrator.",
    },
    "decrypt.failed": {
        "fr": "🔒 Je n'ai pas pu déchiffrer votre message (il me manque la clé de chiffrement). "
        "J'ai redemandé la clé ; renvoyez votre message dans un instant. Si cela se reproduit, "
        "vérifiez que votre client n'envoie pas seulement aux sessions vérifiées.",
        "en": "🔒 I could not decrypt your message (I am missing its encryption key). "
        "I asked for the key again; please resend your message in a moment. If it happens again, "
        "check that your client does not send only to verified sessions.",
    },
    "welcome.greeting": {
        "fr": "Bonjour ! Je suis le bot d'accueil de Ralliement. Pour rejoindre la campagne, "
        "tapez !rejoindre ; !aide montre tout ce que je sais faire.",
        "en": "Hello! I am Ralliement's welcome bot. To join the campaign, type !join; !help "
        "shows everything I can do.",
    },
    "help.aide": {
        "fr": "affiche cette aide",
        "en": "shows this help",
    },
    "help.creer_equipe": {
        "fr": "crée une équipe locale dont vous êtes référent : <nom> puis <code postal ou "
        "commune>, par exemple « !creer-equipe Les Insoumis du 3e 69003 » ; pour séparer le nom "
        "du lieu, « | » ou « , »",
        "en": "creates a local team that you lead: <name> then <postcode or commune>, for "
        "example “!create-team Les Insoumis du 3e 69003”; to separate the name from the place, "
        "“|” or “,”",
    },
    "help.equipe": {
        "fr": "la fiche de l'équipe de ce salon",
        "en": "the card of this room's team",
    },
    "help.membres": {
        "fr": "les membres de l'équipe et leurs rôles",
        "en": "the team's members and their roles",
    },
    "help.role": {
        "fr": "change le rôle d'un membre (membre, gestionnaire, référent)",
        "en": "changes a member's role (member, manager, referent)",
    },
}
