"""Joining the campaign with the welcome bot, and the supporter's own commands."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "help.rejoindre": {
        "fr": "rejoindre la campagne avec l'adresse e-mail de votre soutien",
        "en": "join the campaign with the email address you signed up with",
    },
    "help.annuler_rejoindre": {
        "fr": "arrête la démarche en cours",
        "en": "stops what you are doing",
    },
    "help.equipes": {
        "fr": "choisir une équipe près de chez vous (encore)",
        "en": "choose a team near you (again)",
    },
    "help.moi": {
        "fr": "ce que la campagne sait de vous",
        "en": "what the campaign knows about you",
    },
    "help.oublie_moi": {
        "fr": "effacer vos données personnelles (après confirmation)",
        "en": "erase your personal data (after a confirmation)",
    },
    "joining.ask_email": {
        "fr": "Bienvenue ! Avec quelle adresse e-mail avez-vous soutenu la campagne ? "
        "Écrivez-la ici (ou !annuler pour arrêter).",
        "en": "Welcome! Which email address did you support the campaign with? "
        "Type it here (or !cancel to stop).",
    },
    "joining.already": {
        "fr": "Votre compte est déjà relié à votre soutien. Tapez !equipes pour choisir une "
        "équipe, !moi pour voir vos informations.",
        "en": "Your account is already linked to your support. Type !teams to choose a team, "
        "!me to see your details.",
    },
    "joining.unknown_email": {
        "fr": "Je ne trouve pas cette adresse dans la liste des soutiens. Signez d'abord sur le "
        "site de la campagne avec cette adresse, puis revenez (!rejoindre) ; ou écrivez une autre "
        "adresse.",
        "en": "I can't find this address among the campaign's supporters. Sign up on the "
        "campaign's website with it first, then come back (!join); or type another address.",
    },
    "joining.too_many_addresses": {
        "fr": "Trop d'adresses essayées. Reprenez plus tard avec !rejoindre.",
        "en": "Too many addresses tried. Start again later with !join.",
    },
    "joining.code_sent": {
        "fr": "Je viens d'envoyer un code à 6 chiffres à {email}. Écrivez-le ici. Pas reçu ? "
        "Regardez les indésirables, ou recommencez avec !rejoindre.",
        "en": "I've just sent a 6-digit code to {email}. Type it here. Nothing? Check your spam "
        "folder, or start again with !join.",
    },
    "joining.verified": {
        "fr": "C'est bien vous ✅ Où militez-vous ? Écrivez un code postal ou une commune, ou "
        "partagez une position depuis Element.",
        "en": "That's you ✅ Where are you active? Type a postcode or a commune, or share a "
        "location from Element.",
    },
    "joining.ask_place": {
        "fr": "Où militez-vous ? Écrivez un code postal ou une commune, ou partagez une position.",
        "en": "Where are you active? Type a postcode or a commune, or share a location.",
    },
    "joining.teams_header": {
        "fr": "Les équipes les plus proches :",
        "en": "The nearest teams:",
    },
    "joining.team_line": {
        "fr": "{number}. {name} — {commune}, à {km} km, {members} membre(s)",
        "en": "{number}. {name} — {commune}, {km} km away, {members} member(s)",
    },
    "joining.teams_footer": {
        "fr": "Répondez par le numéro de l'équipe, ou 0 pour créer la vôtre.",
        "en": "Answer with the team's number, or 0 to create your own.",
    },
    "joining.no_team_near": {
        "fr": "Il n'y a pas encore d'équipe près de chez vous. Créez la vôtre : "
        "!creer-equipe <nom> <code postal ou commune>.",
        "en": "There is no team near you yet. Create yours: "
        "!create-team <name> <postcode or commune>.",
    },
    "joining.pick_number": {
        "fr": "Répondez par un numéro de 1 à {count}, ou 0 pour créer votre équipe.",
        "en": "Answer with a number from 1 to {count}, or 0 to create your team.",
    },
    "joining.create_own": {
        "fr": "Pour créer votre équipe : !creer-equipe <nom> <code postal ou commune>, par "
        "exemple !creer-equipe Les Insoumis du 3e 69003.",
        "en": "To create your team: !create-team <name> <postcode or commune>, for example "
        "!create-team Lyon 3 Activists 69003.",
    },
    "joining.done": {
        "fr": "C'est fait : vous êtes invité·e dans le salon de « {team} » et dans l'espace de "
        "la campagne. Ensuite : !autour pour les actions près de chez vous, !aide pour le reste.",
        "en": "Done: you are invited to the room of “{team}” and to the campaign's space. Next: "
        "!near for actions near you, !help for the rest.",
    },
    "joining.cancelled": {
        "fr": "C'est arrêté. Reprenez quand vous voulez avec !rejoindre.",
        "en": "Stopped. Start again whenever you like with !join.",
    },
    "joining.nothing_to_cancel": {
        "fr": "Il n'y a rien en cours à arrêter.",
        "en": "There is nothing going on to stop.",
    },
    "joining.not_verified": {
        "fr": "Il faut d'abord rejoindre la campagne : tapez !rejoindre.",
        "en": "You need to join the campaign first: type !join.",
    },
    "joining.expired": {
        "fr": "Cela fait un moment : j'ai arrêté la démarche. Reprenez avec !rejoindre.",
        "en": "It's been a while, so I stopped. Start again with !join.",
    },
    "forget.confirm": {
        "fr": "Voulez-vous vraiment que la campagne efface vos données (adresse, lieu, équipes, "
        "inscriptions, rappels) ? Vous quitterez les salons d'équipe. Répondez OUI pour "
        "confirmer, autre chose pour garder vos données.",
        "en": "Do you really want the campaign to erase your data (address, place, teams, "
        "RSVPs, reminders)? You will leave the team rooms. Answer YES to confirm, anything "
        "else to keep your data.",
    },
    "forget.kept": {
        "fr": "D'accord, rien n'est effacé.",
        "en": "All right, nothing is erased.",
    },
}

MESSAGES.update(
    {
        "me.not_linked": {
            "fr": "Votre compte n'est relié à aucun soutien pour l'instant : tapez !rejoindre.",
            "en": "Your account is not linked to any support yet: type !join.",
        },
        "me.email": {"fr": "Adresse : {email}", "en": "Address: {email}"},
        "me.name": {"fr": "Nom : {name}", "en": "Name: {name}"},
        "me.home": {"fr": "Vous militez à : {place}", "en": "You are active in: {place}"},
        "me.teams": {"fr": "Vos équipes :", "en": "Your teams:"},
        "me.rsvp": {"fr": "Inscrit·e : {title} — {when}", "en": "Going: {title} — {when}"},
        "me.footer": {
            "fr": "Rien d'autre n'est gardé. !oublie-moi efface tout.",
            "en": "Nothing else is kept. !forget-me erases it all.",
        },
        "forget.done": {
            "fr": "C'est effacé :",
            "en": "Erased:",
        },
        "forget.left_rooms": {
            "fr": "Vous avez quitté les salons de : {teams}.",
            "en": "You left the rooms of: {teams}.",
        },
        "forget.footer": {
            "fr": "Revenez quand vous voulez avec !rejoindre.",
            "en": "Come back whenever you like with !join.",
        },
    }
)
