package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.channel.ChannelInterfaceRepository;
import dev.qaengine.controlplane.event.EventCatalogRepository;
import dev.qaengine.controlplane.template.ReviewStatus;
import dev.qaengine.controlplane.template.TemplateRepository;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.journey.JourneyCatalog;

import java.util.Optional;

/**
 * What a journey of one workspace may refer to, read from the control plane's tables: the organization's
 * events and channels, the workspace's channel interfaces and its SMS and email templates (approved by
 * their platform). Push and WeChat templates and tags do not exist yet: a journey naming one is told so.
 */
final class WorkspaceCatalog implements JourneyCatalog {
    private final String orgId;
    private final String workspaceId;
    private final EventCatalogRepository events;
    private final ChannelInterfaceRepository interfaces;
    private final TemplateRepository templates;

    WorkspaceCatalog(String orgId, String workspaceId, EventCatalogRepository events, ChannelInterfaceRepository interfaces,
                     TemplateRepository templates) {
        this.orgId = orgId;
        this.workspaceId = workspaceId;
        this.events = events;
        this.interfaces = interfaces;
        this.templates = templates;
    }

    /** The event with this code: one defined for any channel, or for this channel (when one is named). */
    @Override
    public Optional<EventDefinition> event(String eventCode, String channel) {
        return events.findEvent(orgId, eventCode)
                .filter(e -> channel == null || e.channel() == null || e.channel().equals(channel))
                .map(e -> new EventDefinition(e.eventCode(), e.name(), e.channel(), e.attributes() == null ? null
                        : e.attributes().stream().map(a -> new AttributeDefinition(a.id(), a.name(), a.type())).toList()));
    }

    @Override
    public Optional<ChannelDefinition> channel(String appKey) {
        return events.findChannel(orgId, appKey).map(c -> new ChannelDefinition(c.appKey(), c.name(), c.appType(),
                c.globalAttributes() == null ? null : c.globalAttributes().stream()
                        .map(a -> new AttributeDefinition(a.id(), a.name(), a.type())).toList(), c.customerIdType()));
    }

    @Override
    public Optional<InterfaceRef> channelInterface(String id) {
        return interfaces.find(workspaceId, id).map(i -> new InterfaceRef(i.id(), i.type(), i.enabled()));
    }

    @Override
    public Optional<TemplateRef> template(String id) {
        Optional<TemplateRef> sms = templates.smsTemplate(workspaceId, id)
                .map(r -> new TemplateRef(id, ChannelInterfaceType.SMS, r.view().status() == ReviewStatus.APPROVED));
        if (sms.isPresent()) {
            return sms;
        }
        return templates.emailTemplate(workspaceId, id)
                .map(r -> new TemplateRef(id, ChannelInterfaceType.EMAIL, r.view().status() == ReviewStatus.APPROVED));
    }

    @Override
    public boolean tag(String tagId) {
        return false; // tags come with the profiles issue
    }
}
