"""Conversations inside consultation pages (consultations never imports conversations)."""

from django import template

from conversations.models import Conversation

register = template.Library()


@register.inclusion_tag(
    "conversations/includes/consultation_conversations.html", takes_context=True
)
def consultation_conversations(context):
    request = context["request"]
    consultation = context.get("consultation") or context["page"]
    return {
        "consultation": consultation,
        "conversations": list(Conversation.objects.filter(consultation=consultation)),
        "is_moderator": request.user.has_perm("consultations.moderate", consultation),
    }
