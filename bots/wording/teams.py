"""Teams and roles: the domain's refusals, team creation, team rooms."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- Refusals of the domain (bridge.domain), with their parameters ----------------------
    "team.name.length": {
        "fr": "Le nom d'une équipe doit faire entre {min} et {max} caractères.",
        "en": "A team's name must be {min} to {max} characters long.",
    },
    "team.avatar.invalid": {
        "fr": "« {url} » n'est pas une image du serveur (mxc://…).",
        "en": "“{url}” is not an image on the homeserver (mxc://…).",
    },
    "team.kind.invalid": {
        "fr": "« {kind} » n'est pas un type d'équipe : une équipe est locale ou thématique.",
        "en": "“{kind}” is not a kind of team: a team is local or thematic.",
    },
    "team.place.required": {
        "fr": "Une équipe locale a besoin d'un lieu : un code postal ou une commune.",
        "en": "A local team needs a place: a postcode or a commune.",
    },
    "team.not_found": {
        "fr": "Je ne trouve pas l'équipe « {team} ».",
        "en": "I cannot find the team “{team}”.",
    },
    "team.archived": {
        "fr": "Cette équipe est archivée : elle ne peut plus être modifiée.",
        "en": "This team is archived: it can no longer be changed.",
    },
    "team.not_member": {
        "fr": "Vous n'êtes pas membre de cette équipe.",
        "en": "You are not a member of this team.",
    },
    "team.member.not_found": {
        "fr": "{user} n'est pas membre de cette équipe.",
        "en": "{user} is not a member of this team.",
    },
    "team.no_team_here": {
        "fr": "Ce salon n'est le salon d'aucune équipe. Tapez cette commande dans le salon de "
        "votre équipe.",
        "en": "This room is not a team's room. Type this command in your team's room.",
    },
    "team.role.not_allowed": {
        "fr": "Vous ne pouvez pas changer ce rôle : il faut un rôle plus élevé que celui de la "
        "personne (membre, puis gestionnaire, puis référent).",
        "en": "You cannot change this role: it takes a role higher than the person's "
        "(member, then manager, then referent).",
    },
    "team.role.self_change": {
        "fr": "Vous ne pouvez pas vous donner un autre rôle vous-même : demandez-le à un "
        "référent de l'équipe.",
        "en": "You cannot give yourself another role: ask a referent of the team.",
    },
    "team.role.referent_only": {
        "fr": "Seul un référent de l'équipe peut nommer quelqu'un {role}.",
        "en": "Only a referent of the team can make someone {role}.",
    },
    "team.role.too_many_referents": {
        "fr": "Une équipe a au plus {limit} référents : l'un d'eux doit d'abord changer de rôle.",
        "en": "A team has at most {limit} referents: one of them must change role first.",
    },
    "team.role.last_referent": {
        "fr": "Vous êtes le seul référent de l'équipe : nommez d'abord un autre référent.",
        "en": "You are the team's only referent: make someone else referent first.",
    },
    "team.leave.last_referent": {
        "fr": "Vous êtes le seul référent de l'équipe : nommez un autre référent avant de partir.",
        "en": "You are the team's only referent: make someone else referent before leaving.",
    },
    "place.unknown": {
        "fr": "Je ne connais pas de commune ou de code postal « {place} ».",
        "en": "I know no commune or postcode “{place}”.",
    },
    "place.unknown.suggestions": {
        "fr": "Vouliez-vous dire :",
        "en": "Did you mean:",
    },
    "place.ambiguous": {
        "fr": "Plusieurs communes s'appellent « {place} » : précisez avec le code postal.",
        "en": "Several communes are called “{place}”: add the postcode.",
    },
    "place.ambiguous.candidates": {
        "fr": "Par exemple :",
        "en": "For example:",
    },
    # --- Team creation (welcome bot) --------------------------------------------------------
    "team.create.usage": {
        "fr": "Écrivez : !creer-equipe <nom> <code postal ou commune>, par exemple "
        "« !creer-equipe Les Insoumis du 3e 69003 » (nom « Les Insoumis du 3e ») ou "
        "« !creer-equipe Insoumis de Villeurbanne » (la commune reste dans le nom). "
        "Pour séparer le nom du lieu, mettez « | » ou « , » : "
        "« !creer-equipe Quartiers Nord, Marseille 13015 ».",
        "en": "Type: !create-team <name> <postcode or commune>, for example "
        "“!create-team Les Insoumis du 3e 69003” (named “Les Insoumis du 3e”) or "
        "“!create-team Insoumis de Villeurbanne” (the commune stays in the name). "
        "To separate the name from the place, use “|” or “,”: "
        "“!create-team Quartiers Nord, Marseille 13015”.",
    },
    "team.create.missing": {
        "fr": "Il me faut le nom de l'équipe, puis son code postal ou sa commune.",
        "en": "I need the team's name, then its postcode or commune.",
    },
    "team.create.missing_place": {
        "fr": "Je ne trouve pas de lieu à la fin de « {text} » : terminez par un code postal ou "
        "une commune.",
        "en": "I find no place at the end of “{text}”: end with a postcode or a commune.",
    },
    "team.create.local_only": {
        "fr": "Seuls les comptes de {domain} peuvent créer une équipe ; le vôtre est sur un autre "
        "serveur. Créez un compte sur {domain} pour rejoindre la campagne.",
        "en": "Only accounts on {domain} can create a team; yours is on another server. "
        "Create an account on {domain} to join the campaign.",
    },
    "team.create.quota": {
        "fr": "Vous avez déjà créé {limit} équipes ces dernières {hours} heures : réessayez plus "
        "tard, ou écrivez à l'équipe de campagne.",
        "en": "You have already created {limit} teams in the last {hours} hours: try again "
        "later, or write to the campaign team.",
    },
    "team.create.done": {
        "fr": "✅ Équipe « {name} » créée ({place}), identifiant {team}. Vous en êtes le référent. "
        "Je prépare son salon : vous y serez invité dans un instant.",
        "en": "✅ Team “{name}” created ({place}), id {team}. You are its referent. "
        "I am preparing its room: you will be invited in a moment.",
    },
    "team.create.room_ready": {
        "fr": "Le salon de l'équipe « {name} » est prêt et vous y êtes invité : acceptez "
        "l'invitation dans votre liste de salons ({link}). Dans le salon, tapez !equipe pour "
        "voir sa fiche et !aide pour le reste.",
        "en": "The room of the team “{name}” is ready and you are invited: accept the invite "
        "in your room list ({link}). In the room, type !team to see its card and !help for "
        "the rest.",
    },
    "team.create.room_late": {
        "fr": "Le salon de l'équipe « {name} » prend plus de temps que prévu ; l'invitation "
        "vous arrivera dès qu'il sera prêt.",
        "en": "The room of the team “{name}” is taking longer than expected; the invite will "
        "reach you as soon as it is ready.",
    },
    # --- Team rooms (agenda bot) ------------------------------------------------------------
    "team.card.title": {
        "fr": "Équipe « {name} » — {kind}",
        "en": "Team “{name}” — {kind}",
    },
    "team.card.place": {
        "fr": "Commune : {commune} ({postcode}), {departement}",
        "en": "Commune: {commune} ({postcode}), {departement}",
    },
    "team.card.members": {
        "fr": "Membres : {count}",
        "en": "Members: {count}",
    },
    "team.card.role": {
        "fr": "{role} : {people}",
        "en": "{role}: {people}",
    },
    "team.card.nobody": {
        "fr": "personne",
        "en": "nobody",
    },
    "team.card.created": {
        "fr": "Créée le {date}",
        "en": "Created on {date}",
    },
    "team.card.archived": {
        "fr": "Archivée le {date}",
        "en": "Archived on {date}",
    },
    "team.members.title": {
        "fr": "Membres de l'équipe « {name} » ({count}) :",
        "en": "Members of the team “{name}” ({count}):",
    },
    "team.members.more": {
        "fr": "… et {count} de plus.",
        "en": "… and {count} more.",
    },
    "role.usage": {
        "fr": "Écrivez : !role @personne <rôle>, par exemple « !role @bob:exemple.org "
        "gestionnaire » (ou mentionnez la personne en tapant @ et son nom). Rôles : membre, "
        "gestionnaire, référent.",
        "en": "Type: !role @person <role>, for example “!role @bob:example.org manager” "
        "(or mention the person by typing @ and their name). Roles: member, manager, referent.",
    },
    "role.unknown_word": {
        "fr": "« {word} » n'est pas un rôle. Rôles : membre, gestionnaire, référent.",
        "en": "“{word}” is not a role. Roles: member, manager, referent.",
    },
    "role.who": {
        "fr": "Je ne sais pas de qui vous parlez : mentionnez la personne (tapez @ puis son nom) "
        "ou donnez son identifiant, par exemple @bob:exemple.org.",
        "en": "I don't know who you mean: mention the person (type @ then their name) or give "
        "their ID, for example @bob:example.org.",
    },
    "role.who_ambiguous": {
        "fr": "Plusieurs personnes ici s'appellent « {name} » : mentionnez la bonne (tapez @ puis "
        "son nom) ou donnez son identifiant.",
        "en": "Several people here are called “{name}”: mention the right one (type @ then "
        "their name) or give their ID.",
    },
    "role.changed": {
        "fr": "{user} est maintenant {role}.",
        "en": "{user} is now {role}.",
    },
    "role.unchanged": {
        "fr": "{user} est déjà {role}.",
        "en": "{user} is already {role}.",
    },
}
