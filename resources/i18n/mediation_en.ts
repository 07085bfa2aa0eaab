<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../mediation/ui/about_dialog.py" line="+33"/>
        <source>关于调解工作台</source>
        <translation>About the Mediation Desk</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>警校联调中心 · 调解工作台</source>
        <translation>Police-School Mediation Centre · Mediation Desk</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>版本 {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>运行方式</source>
        <translation>Running as</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据库版本</source>
        <translation>Database version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据目录</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日志文件</source>
        <translation>Log file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>字体或软件库</source>
        <translation>Font or library</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>许可</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>选择一行查看许可全文</source>
        <translation>Select a row to read the full licence</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>复制以上信息</source>
        <translation>Copy these details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>复制版本、数据库和日志位置等信息，便于发给技术支持</source>
        <translation>Copy the version, database and log locations to send to technical support</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>打开日志文件夹</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>随附的字体与软件库及其许可：</source>
        <translation>Bundled fonts and libraries and their licences:</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{revision}（程序支持到 {head}）：{state}</source>
        <translation>{revision} (program supports up to {head}): {state}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>AcceptDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+288"/>
        <source>受理案件</source>
        <translation>Accept case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理后案件将获得编号，并开始计算办理期限。受理前请确认：纠纷可以调解、未起诉至法院或由其他机关处理、当事人同意调解，并已告知当事人权利义务。</source>
        <translation>Once accepted, the case gets a number and its deadlines start to run. Before accepting, confirm that the dispute can be mediated, has not been taken to court or handled by another authority, the parties agree to mediation, and they have been told their rights and duties.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <location filename="../../mediation/ui/accounts_dialog.py" line="+47"/>
        <source>账户管理</source>
        <translation>User accounts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>最近登录</source>
        <translation>Last login</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每人一个账户，不要共用。值班学生的账户到学期结束日自动失效；输错密码 5 次会锁定 15 分钟，可在此提前解锁。</source>
        <translation>One account per person, never shared. Student volunteers&apos; accounts stop working at the end of their term; 5 wrong passwords lock an account for 15 minutes, which you can lift here.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新建账户…</source>
        <translation>New account…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改姓名和角色…</source>
        <translation>Edit name and role…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>重设密码…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设为有效期</source>
        <translation>Set as end date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>设为长期</source>
        <translation>No end date</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已到期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待本人改密码</source>
        <translation>Must change password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>长期</source>
        <translation>No end date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从未登录</source>
        <translation>Never logged in</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-228"/>
        <source>向人民法院起诉</source>
        <translation>Sue in the people&apos;s court</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>申请劳动仲裁</source>
        <translation>Apply for labour arbitration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>向消费者协会投诉</source>
        <translation>Complain to the consumer association</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+6"/>
        <source>学校相关部门</source>
        <translation>Relevant school office</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>双方分歧较大，无法达成协议</source>
        <translation>The parties are too far apart to reach an agreement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>一方当事人拒绝继续调解</source>
        <translation>A party refuses to continue mediation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当事人已向人民法院起诉</source>
        <translation>A party has sued in the people&apos;s court</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当事人撤回调解申请</source>
        <translation>A party withdrew the mediation request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人民法院</source>
        <translation>People&apos;s court</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>劳动人事争议仲裁委员会</source>
        <translation>Labour and personnel dispute arbitration committee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>消费者协会</source>
        <translation>Consumer association</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市场监督管理部门</source>
        <translation>Market regulation authority</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>其他行政机关</source>
        <translation>Other administrative authority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当场履行</source>
        <translation>Performed on the spot</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>银行转账</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>微信或支付宝转账</source>
        <translation>WeChat or Alipay transfer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>现金支付</source>
        <translation>Cash payment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>分期支付</source>
        <translation>Payment in instalments</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>返还物品</source>
        <translation>Return of property</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联调中心调解室</source>
        <translation>Mediation room of the centre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>了解协议履行情况</source>
        <translation>Check how the agreement is being performed</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>案件：{number}&#x3000;{parties}</source>
        <translation>Case: {number}  {parties}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>已载入最新版本（{stage}）。请核对后再次保存。</source>
        <translation>The latest version ({stage}) is loaded. Check it and save again.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>常用：</source>
        <translation>Common:</translation>
    </message>
</context>
<context>
    <name>AddDeskDialog</name>
    <message>
        <location filename="../../mediation/ui/desks_dialog.py" line="+162"/>
        <source>添加调解点</source>
        <translation>Add desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解点名称：</source>
        <translation>Desk name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调解委员会名称：</source>
        <translation>Mediation committee:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>编号前缀：</source>
        <translation>Number prefix:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>管理员用户名：</source>
        <translation>Administrator username:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>管理员姓名：</source>
        <translation>Administrator name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>初始密码：</source>
        <translation>Initial password:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>可留空，默认与调解点名称相同</source>
        <translation>optional; defaults to the desk&apos;s name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：Y警校调字（各调解点不同）</source>
        <translation>e.g. Y警校调字 (different for each desk)</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../mediation/ui/setup_wizard.py" line="+191"/>
        <source>管理员账户</source>
        <translation>Administrator account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>管理员负责创建值班学生和民警的账户、值班安排和备份。</source>
        <translation>The administrator creates the accounts of student volunteers and officers, keeps the duty roster and makes backups.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每个人都用自己的账户登录，不要共用一个账户。请先创建您自己的管理员账户。</source>
        <translation>Everyone logs in with their own account; never share one. Start by creating your own administrator account.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名(&amp;M)：</source>
        <translation>Na&amp;me:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码(&amp;W)：</source>
        <translation>Pass&amp;word:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>确认密码(&amp;C)：</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登录用，不含空格</source>
        <translation>for logging in, no spaces</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>显示在案件和文书上的姓名</source>
        <translation>the name shown on cases and documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请牢记：忘记后只能由另一位管理员重置。</source>
        <translation>Remember it: if forgotten, only another administrator can reset it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+15"/>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords do not match.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>用户名不能含空格。</source>
        <translation>The username cannot contain spaces.</translation>
    </message>
</context>
<context>
    <name>AgreementDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+424"/>
        <source>登记调解协议</source>
        <translation>Record agreement</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>登记协议</source>
        <translation>Record agreement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协议形式</source>
        <translation>Form of agreement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>书面协议（打印调解协议书签字）</source>
        <translation>Written agreement (print the agreement for signing)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>口头协议（当场履行的简单纠纷）</source>
        <translation>Oral agreement (simple dispute performed on the spot)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>协议内容（逐项填写）</source>
        <translation>Terms of the agreement (one item each)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>协议金额（元）</source>
        <translation>Agreed amount (yuan)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+44"/>
        <source>履行方式</source>
        <translation>Manner of performance</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>履行地点</source>
        <translation>Place of performance</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+41"/>
        <source>履行期限</source>
        <translation>Performance deadline</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>达成时间</source>
        <translation>Reached on</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>当场签字确认（口头协议登记表已由双方当事人签字）</source>
        <translation>Signed on the spot (both parties have signed the oral agreement form)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>已按本案起草的协议文书填好，请核对后登记。</source>
        <translation>Filled in from this case&apos;s drafted agreement; check it, then record.</translation>
    </message>
</context>
<context>
    <name>AmountsEditor</name>
    <message>
        <location filename="../../mediation/ui/document_editor.py" line="+237"/>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>大写</source>
        <translation>In words</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>添加金额</source>
        <translation>Add amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>第{n}项金额（{label}）：{why}</source>
        <translation>Amount {n} ({label}): {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未填项目</source>
        <translation>item not filled in</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>金额格式不正确</source>
        <translation>Invalid amount</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>履行金额</source>
        <translation>Amount to be paid</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../mediation/ui/approval_dialog.py" line="+132"/>
        <source>审批文书</source>
        <translation>Approve documents</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>改动</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+118"/>
        <source>检查结果</source>
        <translation>Check results</translation>
    </message>
    <message>
        <location line="-115"/>
        <source>审批记录</source>
        <translation>Review history</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>审批意见（退回时必填）：</source>
        <translation>Review comment (required when returning):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>如：第二条请写明转账账户；履行期限改为七日内。</source>
        <translation>e.g. Item 2: state the account for the transfer; change the performance deadline to within seven days.</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+47"/>
        <source>审批通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location line="-46"/>
        <location line="+46"/>
        <source>退回修改</source>
        <translation>Return for changes</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{title}&#x3000;第{n}版&#x3000;{status}</source>
        <translation>{title}  version {n}  {status}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>审批 {title}</source>
        <translation>Review {title}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{when}&#x3000;{who}&#x3000;{decision}（第{n}版）
{comment}</source>
        <translation>{when}  {who}  {decision} (version {n})
{comment}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>还没有审批记录。</source>
        <translation>No reviews yet.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>自您上次审阅以来，文书没有改动。</source>
        <translation>The document has not changed since your last review.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>首次审阅：以下为全文（均标为新增）。</source>
        <translation>First review: the full text follows (all marked as added).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>自您上次审阅以来：新增 {a} 行，删除 {d} 行。</source>
        <translation>Since your last review: {a} lines added, {d} lines removed.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>错误：{m}</source>
        <translation>Error: {m}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>提醒：{m}</source>
        <translation>Note: {m}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>发现 {n} 处错误，改正前不能审批。</source>
        <translation>{n} errors found; the document cannot be approved until they are fixed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不能审批：检查发现 {n} 处错误（{first}）。请退回修改。</source>
        <translation>Cannot approve: the check found {n} errors ({first}). Please return it for changes.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>检查结果（{n} 处错误）</source>
        <translation>Check results ({n} errors)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>没有错误。</source>
        <translation>No errors.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有错误；{n} 条提醒供参考。</source>
        <translation>No errors; {n} notes for your information.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>只有督导民警可以审批文书。</source>
        <translation>Only the supervising officer can approve documents.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>该文书{status}，无需审批。</source>
        <translation>This document&apos;s status is “{status}”; it needs no approval.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>退回修改时请写明需要修改的地方。</source>
        <translation>When returning for changes, state what needs to be changed.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>不能审批：{m}</source>
        <translation>Cannot approve: {m}</translation>
    </message>
</context>
<context>
    <name>ArchiveDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+138"/>
        <location line="+2"/>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>归档前请确认卷宗材料（封面、目录及全部文书）已按顺序整理齐全。归档后不能再添加附件。</source>
        <translation>Before archiving, make sure the file (cover, table of contents and all documents) is complete and in order. No attachments can be added after archiving.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保管期限：正在读取卷宗封面…</source>
        <translation>Retention period: reading the file cover…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>卷宗封面尚未定稿：请先在“文书”中起草、审批并定稿卷宗封面（保管期限写在封面上）。</source>
        <translation>The case-file cover is not finalized yet: draft, approve and finalize it under “Documents” first (the retention period is written on the cover).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保管期限：{period}（以定稿的卷宗封面为准；如需更改，请更正封面）</source>
        <translation>Retention period: {period} (as on the finalized cover; to change it, correct the cover)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保管期限：以定稿的卷宗封面为准。</source>
        <translation>Retention period: as on the finalized case-file cover.</translation>
    </message>
</context>
<context>
    <name>AssignMediatorDialog</name>
    <message>
        <location line="-422"/>
        <source>指派调解员</source>
        <translation>Assign mediator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解员与当事人有利害关系的，应当回避。</source>
        <translation>A mediator who has a conflict of interest with a party must step aside.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>指派</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回避审查</source>
        <translation>Recusal check</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已确认调解员与各方当事人无利害关系</source>
        <translation>Confirmed: the mediator has no conflict of interest with any party</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>（请选择）</source>
        <translation>(please choose)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>请选择调解员。</source>
        <translation>Please choose a mediator.</translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <location filename="../../mediation/ui/case_view.py" line="+192"/>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加人</source>
        <translation>Added by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>添加时间</source>
        <translation>Added on</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>可把文件拖到这里添加为附件（单个文件不超过 50 MB）。附件的 SHA-256 校验值可用于核对文件是否被改动。</source>
        <translation>Drag files here to attach them (up to 50 MB each). The SHA-256 checksum of an attachment shows whether the file has been changed.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../mediation/ui/models/audit_table_model.py" line="+35"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人员</source>
        <translation>User</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>对象</source>
        <translation>Object</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提示</source>
        <translation>Flags</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>（系统）</source>
        <translation>(system)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>无编号（ID {id}）</source>
        <translation>No number (ID {id})</translation>
    </message>
</context>
<context>
    <name>AuditViewerWindow</name>
    <message>
        <location filename="../../mediation/ui/audit_viewer.py" line="+190"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人员</source>
        <translation>User</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>对象</source>
        <translation>Object</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>提示</source>
        <translation>Flags</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>核验日志</source>
        <translation>Verify log</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>导出 XLSX…</source>
        <translation>Export XLSX…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>逐条核对审计链（与 mediation audit verify 相同），查出记录被修改、删除或插入的位置</source>
        <translation>Check the audit chain entry by entry (same as mediation audit verify) to find where records were changed, deleted or inserted</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>全部人员</source>
        <translation>All users</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部对象</source>
        <translation>All objects</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部记录</source>
        <translation>All entries</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>只看：{flag}</source>
        <translation>Only: {flag}</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>结束日期早于开始日期。</source>
        <translation>The end date is before the start date.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{name} {n} 次</source>
        <translation>{name} {n}×</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+37"/>
        <source>（系统）</source>
        <translation>(system)</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>查看完整证件号（按人）：{people}</source>
        <translation>Full ID numbers viewed (by user): {people}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>共 {n} 条记录（已显示 {shown} 条）</source>
        <translation>{n} entries ({shown} shown)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>读取审计日志失败：{m}</source>
        <translation>Could not read the audit log: {m}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>选择一条记录，查看修改前后的内容。</source>
        <translation>Select an entry to see the content before and after the change.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>案件 {n}</source>
        <translation>Case {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日志编号 {id}（第 {seq} 条）</source>
        <translation>Log ID {id} (entry {seq})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>提示：{flags}</source>
        <translation>Flags: {flags}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>正在核验审计日志…</source>
        <translation>Verifying the audit log…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在逐条核验审计日志…</source>
        <translation>Verifying the audit log entry by entry…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在核验审计日志：{d} / {t} 条</source>
        <translation>Verifying the audit log: {d} / {t} entries</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>核验未完成：{m}</source>
        <translation>Verification not completed: {m}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出审计日志</source>
        <translation>Export audit log</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>正在导出审计日志…</source>
        <translation>Exporting the audit log…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已导出 {n} 条记录到 {path}</source>
        <translation>Exported {n} entries to {path}</translation>
    </message>
</context>
<context>
    <name>BackupSection</name>
    <message>
        <location filename="../../mediation/ui/backup_status.py" line="+78"/>
        <source>数据备份</source>
        <translation>Backups</translation>
    </message>
</context>
<context>
    <name>BackupSettingsTab</name>
    <message>
        <location filename="../../mediation/ui/backup_settings.py" line="+76"/>
        <source>自动备份到：</source>
        <translation>Back up automatically to:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用备份口令加密（备份会离开这台电脑时请勾选）</source>
        <translation>Encrypt with a backup passphrase (tick if backups leave this computer)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每天第一次启动和退出时自动备份到该文件夹（另一块硬盘、U 盘或网络共享），保留最近 7 天、4 周和 12 个月的备份。超过两天没有成功的备份时，主窗口会提醒。</source>
        <translation>Backs up to this folder (another disk, a USB drive or a network share) at the first start and at exit each day, keeping the last 7 daily, 4 weekly and 12 monthly backups. The main window warns when no backup has succeeded for more than two days.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存备份设置</source>
        <translation>Save backup settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>备份口令：</source>
        <translation>Backup passphrase:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>生成新口令</source>
        <translation>New passphrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印恢复单…</source>
        <translation>Print recovery sheet…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>已设置（见恢复单）</source>
        <translation>Set (see recovery sheet)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>尚未设置</source>
        <translation>Not set yet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>选择自动备份的文件夹</source>
        <translation>Choose the folder for automatic backups</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>新的备份口令已生成。请打印恢复单并锁好；以前的加密备份仍需原来的口令。</source>
        <translation>A new backup passphrase was generated. Print the recovery sheet and lock it away; earlier encrypted backups still need the old passphrase.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>保存恢复单</source>
        <translation>Save recovery sheet</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>恢复单已保存到 {path}。打印后请删除该文件，并把纸锁好。</source>
        <translation>The recovery sheet was saved to {path}. After printing, delete the file and lock the paper away.</translation>
    </message>
</context>
<context>
    <name>CaseFilterBar</name>
    <message>
        <location filename="../../mediation/ui/case_filter_bar.py" line="+162"/>
        <source>搜索编号、当事人、电话、案情…（Ctrl+F）</source>
        <translation>Search number, party, phone, facts… (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输入一个字也能搜索，例如当事人的姓</source>
        <translation>One character is enough, e.g. a party&apos;s surname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>筛选</source>
        <translation>Filters</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>阶段(&amp;J)：</source>
        <translation>Sta&amp;ge:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解类型(&amp;K)：</source>
        <translation>Trac&amp;k:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>纠纷类别(&amp;B)：</source>
        <translation>Categor&amp;y:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只看我调解的案件</source>
        <translation>Only cases I mediate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>只看已逾期</source>
        <translation>Only overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按登记日期</source>
        <translation>By registration date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提示：双击一行打开案件；Ctrl+N 登记新纠纷；Ctrl+F 搜索；F5 刷新；F1 查看新手指南。期限一栏红色表示已逾期，黄色表示 2 个工作日内到期。</source>
        <translation>Tips: double-click a row to open the case; Ctrl+N registers a new dispute; Ctrl+F searches; F5 refreshes; F1 opens the getting-started guide. In the Deadline column red means overdue, yellow means due within 2 working days.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>全部阶段</source>
        <translation>All stages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>在办（未结案）</source>
        <translation>Open (not closed)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>全部类型</source>
        <translation>All tracks</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
</context>
<context>
    <name>CaseListSection</name>
    <message>
        <location filename="../../mediation/ui/today_panel.py" line="+231"/>
        <source>您担任调解员、尚未结案的案件</source>
        <translation>Open cases you mediate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已逾期（红色）和 2 个工作日内到期（黄色）的期限</source>
        <translation>Deadlines overdue (red) and due within 2 working days (yellow)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处于“履行/回访”阶段的案件，按履行期限排序</source>
        <translation>Cases in the performance / follow-up stage, by performance deadline</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>我的在办案件（{n}）</source>
        <translation>My open cases ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有由您调解的在办案件</source>
        <translation>No open cases mediated by you</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>期限将到或已逾期（{n}）</source>
        <translation>Deadlines due or overdue ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>近两个工作日没有到期的期限</source>
        <translation>No deadline in the next two working days</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>待回访（{n}）</source>
        <translation>Follow-ups due ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有待回访的案件</source>
        <translation>No follow-ups due</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>待受理</source>
        <translation>not accepted</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{label}：{date}</source>
        <translation>{label}: {date}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>CaseQueueSection</name>
    <message>
        <location filename="../../mediation/ui/case_queue_section.py" line="+48"/>
        <source>等待督导民警办理的案件：受理、结案、终止后结案；以及已逾期的案件。双击打开到要办的那一步。</source>
        <translation>Cases waiting for the supervising officer: to accept, to close, to close after termination; and overdue cases. Double-click to open at the step to take.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>待办案件（{n}）</source>
        <translation>Cases to handle ({n})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待受理 {n} 件</source>
        <translation>{n} to accept</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>可结案 {n} 件</source>
        <translation>{n} ready to close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>终止调解待结案 {n} 件</source>
        <translation>{n} terminated, to close</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已逾期 {n} 件</source>
        <translation>{n} overdue</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>  {parties} · {what}</source>
        <translation>  {parties} · {what}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>还缺少：{m}</source>
        <translation>Still missing: {m}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>没有等待您办理的案件</source>
        <translation>No cases waiting for you</translation>
    </message>
</context>
<context>
    <name>CaseReviewWindow</name>
    <message>
        <location filename="../../mediation/ui/case_review_window.py" line="+190"/>
        <source>抽卷评查</source>
        <translation>Case-file review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结案期间</source>
        <translation>Closed between</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>抽取件数</source>
        <translation>Cases to draw</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调解点</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>随机种子</source>
        <translation>Random seed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>随机抽取</source>
        <translation>Draw at random</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>抽取记录</source>
        <translation>Draws</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>抽中的案件</source>
        <translation>Cases drawn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他问题（可空）</source>
        <translation>Other problems (optional)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>评查意见</source>
        <translation>Review comments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存评查结果</source>
        <translation>Save review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>留空则随机生成（会记录下来，可复核）</source>
        <translation>leave empty for a random one (it is recorded and can be re-checked)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评查项目（系统已预填，请逐项确认）</source>
        <translation>Review items (prefilled by the system; confirm each one)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>评查</source>
        <translation>Review</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+126"/>
        <source>符合</source>
        <translation>Meets</translation>
    </message>
    <message>
        <location line="-125"/>
        <source>不符合时写明问题</source>
        <translation>If not met, describe the problem</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>您的账户只能查看各调解点的评查，不能抽取（抽卷评查须在本调解点进行）。</source>
        <translation>Your account can only view the desks&apos; reviews, not draw cases (cases are drawn at one&apos;s own desk).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{a} 至 {b}：抽 {n} 件（共 {p} 件），已评 {r} 件</source>
        <translation>{a} to {b}: {n} of {p} cases drawn, {r} reviewed</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{desk}：{draw}</source>
        <translation>{desk}: {draw}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{who} 于 {when} 抽取，随机种子 {seed}</source>
        <translation>Drawn by {who} on {when}, random seed {seed}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>还没有抽取记录：选择结案期间和件数，点“随机抽取”。</source>
        <translation>No draws yet: choose the closing period and the number of cases, then click “Draw at random”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>随机种子 {seed}，从 {p} 件已结案案件中抽取；{who} 于 {when}。</source>
        <translation>Random seed {seed}, drawn from {p} closed cases; by {who} on {when}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+50"/>
        <source>待评查</source>
        <translation>To review</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>发现 {n} 个问题</source>
        <translation>{n} problems found</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>合格</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>选择一件抽中的案件进行评查。</source>
        <translation>Select a drawn case to review it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已评查（{who}，{when}）</source>
        <translation>Reviewed ({who}, {when})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{number}&#x3000;{parties}
结案 {closed} · {state}</source>
        <translation>{number}  {parties}
Closed {closed} · {state}</translation>
    </message>
    <message>
        <location line="-49"/>
        <location line="+50"/>
        <source>（无编号）</source>
        <translation>(no number)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不符合</source>
        <translation>Not met</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>无法判断</source>
        <translation>Cannot tell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>系统核对：{word}。{reason}</source>
        <translation>System check: {word}. {reason}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>随机种子应为整数，或留空。</source>
        <translation>The random seed must be a whole number, or empty.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已从 {p} 件中抽取 {n} 件（随机种子 {seed}）。</source>
        <translation>Drew {n} of {p} cases (random seed {seed}).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>已保存：发现 {n} 个问题，已告知办案人员。</source>
        <translation>Saved: {n} problems found; the case handlers have been notified.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已保存：本案合格。</source>
        <translation>Saved: this case passed.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>请按提示补充后再保存。</source>
        <translation>Complete what is indicated, then save.</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <location filename="../../mediation/ui/models/case_table_model.py" line="+61"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记日期</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解类型</source>
        <translation>Track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+576"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>点击按此列排序</source>
        <translation>Click to sort by this column</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>此列不能排序</source>
        <translation>This column cannot be sorted</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>（未能载入，请刷新）</source>
        <translation>(not loaded; refresh)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>（受理后编号）</source>
        <translation>(no number yet)</translation>
    </message>
    <message>
        <location filename="../../mediation/ui/main_window.py" line="+399"/>
        <location filename="../../mediation/ui/models/case_table_model.py" line="+17"/>
        <source>{date} 已逾期</source>
        <translation>{date} overdue</translation>
    </message>
    <message>
        <location line="-1"/>
        <location filename="../../mediation/ui/models/case_table_model.py" line="+2"/>
        <source>{date} 将到期</source>
        <translation>{date} due soon</translation>
    </message>
    <message>
        <location filename="../../mediation/ui/models/case_table_model.py" line="+6"/>
        <source>{label}：{date}</source>
        <translation>{label}: {date}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>（已逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（2 个工作日内到期）</source>
        <translation> (due within 2 working days)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>案件受理时自动编号</source>
        <translation>A number is given automatically when the case is accepted</translation>
    </message>
</context>
<context>
    <name>CaseWindow</name>
    <message>
        <location filename="../../mediation/ui/case_view.py" line="+64"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+309"/>
        <source>修改当事人、纠纷事实、请求事项和分类</source>
        <translation>Change the parties, facts, claims and category</translation>
    </message>
    <message>
        <location line="-307"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>卷宗…</source>
        <translation>Case file…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>卷宗封面、卷内目录和本案全部定稿文书（含签字扫描件），合成一个 PDF 预览、打印</source>
        <translation>The case-file cover, table of contents and all the case&apos;s finalized documents (with signed scans), combined into one PDF to preview and print</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>办理：</source>
        <translation>Actions:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名/名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>职业/学校</source>
        <translation>Occupation/school</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>显示完整号码</source>
        <translation>Show full number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>查看完整证件号码会记录在审计日志中（谁、何时、哪位当事人）。</source>
        <translation>Viewing a full ID number is recorded in the audit log (who, when, which party).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <location line="+8"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+3"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>调查对象</source>
        <translation>Persons interviewed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调查人</source>
        <translation>Investigator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>还没有调查记录。</source>
        <translation>No investigation records yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调查记录</source>
        <translation>Investigation records</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参加人员</source>
        <translation>Participants</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+325"/>
        <location line="+1"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="-325"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>还没有调解记录。</source>
        <translation>No session records yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解记录</source>
        <translation>Session records</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+313"/>
        <source>履行情况</source>
        <translation>Performance status</translation>
    </message>
    <message>
        <location line="-313"/>
        <source>回访人</source>
        <translation>Follow-up by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>还没有回访记录。</source>
        <translation>No follow-up records yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>经过</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>卷宗 {number}（{n} 份文书，共 {pages} 页）</source>
        <translation>Case file {number} ({n} documents, {pages} pages)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{number} 卷宗</source>
        <translation>{number} case file</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>卷宗封面尚未定稿，此处的封面标有“草稿”；归档前请在“文书”中起草并定稿卷宗封面。</source>
        <translation>The case-file cover is not finalized, so the cover here is marked “Draft”; before archiving, draft and finalize the cover under “Documents”.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>未受理（受理后编号）</source>
        <translation>Not accepted (numbered on acceptance)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>案件 {number} — {parties}</source>
        <translation>Case {number} — {parties}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>阶段：&lt;b&gt;{stage}&lt;/b&gt;</source>
        <translation>Stage: &lt;b&gt;{stage}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类型：&lt;b&gt;{track}&lt;/b&gt;</source>
        <translation>Track: &lt;b&gt;{track}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解员：&lt;b&gt;{name}&lt;/b&gt;</source>
        <translation>Mediator: &lt;b&gt;{name}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未指派</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记：{when}（{who}）</source>
        <translation>Registered: {when} ({who})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>结果：&lt;b&gt;{r}&lt;/b&gt;</source>
        <translation>Result: &lt;b&gt;{r}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>注意：{years} 年的节假日和调休尚未录入，期限暂按周一至周五推算，可能不准。请管理员在“管理 → 节假日与调休”中录入。</source>
        <translation>Note: the holidays and swapped working days of {years} are not entered yet, so deadlines count Monday to Friday and may be wrong. Ask an administrator to enter them under “Admin → Holidays and working days”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>期限：无</source>
        <translation>Deadline: none</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>办理期限</source>
        <translation>Case deadline</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>期限：{date}&#x3000;{label}&#x3000;已超期 {n} 天</source>
        <translation>Deadline: {date}  {label}  {n} days overdue</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>期限：{date}&#x3000;{label}&#x3000;即将到期（还剩 {n} 个工作日）</source>
        <translation>Deadline: {date}  {label}  due soon ({n} working days left)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>期限：{date}&#x3000;{label}（还剩 {n} 个工作日）</source>
        <translation>Deadline: {date}  {label} ({n} working days left)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>司法确认：双方可在 {date} 前共同向人民法院申请司法确认（还剩 {n} 天）。</source>
        <translation>Judicial confirmation: the parties may jointly apply to the people&apos;s court for judicial confirmation before {date} ({n} days left).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>司法确认：申请期限已于 {date} 届满。</source>
        <translation>Judicial confirmation: the time to apply ran out on {date}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>已结案或归档的案件不能修改。</source>
        <translation>A closed or archived case cannot be changed.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>此案件现在不能“{action}”。</source>
        <translation>This case cannot “{action}” now.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>纠纷情况</source>
        <translation>The dispute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷事实</source>
        <translation>Facts of the dispute</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>请求事项</source>
        <translation>Claims</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>涉及金额</source>
        <translation>Amount involved</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+10"/>
        <source>{a} 元</source>
        <translation>{a} yuan</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>具体类型</source>
        <translation>Subcategory</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调解点</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理时间</source>
        <translation>Accepted on</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>书面协议</source>
        <translation>Written agreement</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>口头协议</source>
        <translation>Oral agreement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解协议</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协议形式</source>
        <translation>Form of agreement</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协议编号</source>
        <translation>Agreement number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协议内容</source>
        <translation>Terms of the agreement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协议金额</source>
        <translation>Agreed amount</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>履行方式</source>
        <translation>Manner of performance</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>履行地点</source>
        <translation>Place of performance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>履行期限</source>
        <translation>Performance deadline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>达成时间</source>
        <translation>Reached on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署</source>
        <translation>Signed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未签署</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>去向</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>告知的其他途径</source>
        <translation>Other routes explained</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>防止民转刑</source>
        <translation>Escalation to a criminal case prevented</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结案时间</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>归档时间</source>
        <translation>Archived on</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{role}（代表{name}）</source>
        <translation>{role} (for {name})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}（单位）</source>
        <translation>{name} (organisation)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>法定代表人：{n}</source>
        <translation>Legal representative: {n}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>时间：{t}
地点：{p}
调查对象：{s}
调查人：{u}

{c}</source>
        <translation>Time: {t}
Place: {p}
Persons interviewed: {s}
Investigator: {u}

{c}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>时间：{t}
地点：{p}
参加人员：{a}
调解员：{m}&#x3000;记录人：{r}
结果：{res}

{c}</source>
        <translation>Time: {t}
Place: {p}
Participants: {a}
Mediator: {m}  Recorded by: {r}
Result: {res}

{c}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>时间：{t}
方式：{m}
事由：{r}
履行情况：{p}
回访人：{u}

{res}</source>
        <translation>Time: {t}
Method: {m}
Reason: {r}
Performance: {p}
Follow-up by: {u}

{res}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>（{a} → {b}）</source>
        <translation> ({a} → {b})</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>案件查看：{number}</source>
        <translation>Case view: {number}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已显示完整号码（本次查看已记入审计日志）。刷新后重新隐藏。</source>
        <translation>Full number shown (this view was recorded in the audit log). It is hidden again on refresh.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>选择要添加的附件</source>
        <translation>Choose attachments to add</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>无法读取文件“{name}”（{why}）。</source>
        <translation>Cannot read the file “{name}” ({why}).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>已添加 {n} 个附件。</source>
        <translation>{n} attachments added.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在添加附件…</source>
        <translation>Adding attachments…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>警告：附件内容与登记时的 SHA-256 不一致，文件可能已损坏或被改动。</source>
        <translation>Warning: the attachment does not match the SHA-256 recorded when it was added; the file may be damaged or altered.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>没有可以打开此类文件的程序。文件已保存在：{p}</source>
        <translation>No program can open this kind of file. The file was saved to: {p}</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <location filename="../../mediation/ui/certificate_dialog.py" line="+65"/>
        <source>志愿服务证明</source>
        <translation>Volunteer service certificate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>服务内容</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>指导老师评价</source>
        <translation>Faculty adviser&apos;s assessment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存草稿</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审批通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预览 / 打印…</source>
        <translation>Preview / Print…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>编号：{n}（{who} 于 {day} 审批）</source>
        <translation>Number: {n} (approved by {who} on {day})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>草稿：审批后才能打印和导出。</source>
        <translation>Draft: it can be printed and exported after approval.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>草稿：指导老师审批后才能打印和导出。</source>
        <translation>Draft: it can be printed and exported once the faculty adviser approves it.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../mediation/ui/change_password_dialog.py" line="+59"/>
        <source>设置新密码</source>
        <translation>Set new password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}，您的密码已由管理员重设。请设置只有您自己知道的新密码，然后继续。</source>
        <translation>{name}, an administrator has reset your password. Set a new password only you know, then continue.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新密码(&amp;N)：</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>再输一次(&amp;A)：</source>
        <translation>Enter &amp;again:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码至少 8 位，须同时包含字母和数字，且不能与管理员给的密码相同。</source>
        <translation>At least 8 characters with both letters and digits, and not the same as the one the administrator gave you.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置并登录</source>
        <translation>Set and log in</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords do not match.</translation>
    </message>
</context>
<context>
    <name>ChooseTrackDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-220"/>
        <source>确定调解类型</source>
        <translation>Choose track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>由督导民警决定。民间纠纷一般适用人民调解；因民间纠纷引起、情节轻微的违反治安管理行为，双方自愿的，可以治安调解。</source>
        <translation>Decided by the supervising officer. Civil disputes usually go to people&apos;s mediation; minor public-order offences arising from a civil dispute can go to police mediation if both sides agree.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解类型</source>
        <translation>Track</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人民调解</source>
        <translation>People&apos;s mediation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>治安调解</source>
        <translation>Police mediation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>引导/移送</source>
        <translation>Refer elsewhere</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>治安调解排除情形（有下列情形之一的，一般不适用治安调解）</source>
        <translation>Police-mediation exclusions (police mediation is generally not used if any of these applies)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>仍决定治安调解（我已知悉上述情形，由本人决定，并记录在案）</source>
        <translation>Still choose police mediation (I am aware of the above; it is my decision and will be recorded)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>选择“引导/移送”后，请使用案件页上的“引导/移送”按钮写明去向和理由。</source>
        <translation>After choosing “Refer elsewhere”, use the “Refer elsewhere” button on the case page to state where and why.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>如仍决定治安调解，请勾选确认；否则请改选其他调解类型。</source>
        <translation>To still choose police mediation, tick the confirmation; otherwise choose another track.</translation>
    </message>
</context>
<context>
    <name>ClaimDialog</name>
    <message>
        <location filename="../../mediation/ui/claim_dialog.py" line="+43"/>
        <source>补记工时</source>
        <translation>Claim hours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时长（分钟）</source>
        <translation>Duration (min)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>为什么没有签到记录，例如：系统故障未能签到，协助接待来访</source>
        <translation>Why there is no check-in, e.g. the system was down; helped receive visitors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>补记的工时须经指导老师确认后才计入。办案时长按您制作的调解、调查、回访记录自动计算，无需补记。</source>
        <translation>Claimed hours count only once the faculty adviser confirms them. Casework time is calculated from your session, investigation and follow-up records; no need to claim it.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提交补记</source>
        <translation>Submit claim</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+519"/>
        <location line="+1"/>
        <source>结案</source>
        <translation>Close case</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结案后案件不能再修改，可补充回访和附件。</source>
        <translation>A closed case cannot be changed; follow-ups and attachments can still be added.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>防止民转刑（本纠纷的化解防止了矛盾激化为刑事案件）</source>
        <translation>Prevented escalation to a criminal case (resolving this dispute kept it from turning criminal)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>结案说明（可不填）</source>
        <translation>Closing note (optional)</translation>
    </message>
</context>
<context>
    <name>ConsultationDialog</name>
    <message>
        <location filename="../../mediation/ui/consultation_dialog.py" line="+42"/>
        <source>登记法律咨询</source>
        <translation>Log legal consultation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>修改法律咨询</source>
        <translation>Edit legal consultation</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>咨询人</source>
        <translation>Enquirer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>可不填（匿名咨询）</source>
        <translation>optional (anonymous consultation)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>可不填</source>
        <translation>optional</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>咨询事项</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>如：租房押金不退怎么办</source>
        <translation>e.g. landlord won&apos;t return the deposit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>咨询时间</source>
        <translation>Time of consultation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用时</source>
        <translation>Time spent</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>咨询内容</source>
        <translation>Question</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>咨询人讲述的情况和问题</source>
        <translation>What the enquirer described and asked</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>解答意见</source>
        <translation>Advice given</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>给出的法律意见和建议的解决途径</source>
        <translation>The legal advice given and the suggested ways to resolve it</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>保存咨询</source>
        <translation>Save consultation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转为案件…</source>
        <translation>Turn into case…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存本次咨询，并以咨询人为申请人登记纠纷</source>
        <translation>Save this consultation and register a dispute with the enquirer as applicant</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>打开案件</source>
        <translation>Open case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本咨询已转为案件 {number}</source>
        <translation>This consultation became case {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（待受理）</source>
        <translation>(not accepted yet)</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>咨询已保存。请在新窗口中补全纠纷信息后登记。</source>
        <translation>Consultation saved. Complete the dispute details in the new window, then register it.</translation>
    </message>
</context>
<context>
    <name>ConsultationHits</name>
    <message>
        <location filename="../../mediation/ui/consultation_hits.py" line="+66"/>
        <source>（已转为案件）</source>
        <translation> (turned into a case)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>另有咨询记录 {n}{more} 条</source>
        <translation>{n}{more} matching consultations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与“{text}”相符的法律咨询；选择一条：已转为案件的打开案件，其余转为案件</source>
        <translation>Legal consultations matching “{text}”; choose one: one already turned into a case opens the case, any other is turned into a case</translation>
    </message>
</context>
<context>
    <name>ConsultationsDialog</name>
    <message>
        <location filename="../../mediation/ui/consultations_dialog.py" line="+79"/>
        <source>咨询记录</source>
        <translation>Consultation log</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>咨询日期</source>
        <translation>Consultation date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>解答人：</source>
        <translation>Answered by:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>事项：</source>
        <translation>Subject:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>登记咨询…</source>
        <translation>Log consultation…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开/修改…</source>
        <translation>Open / Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>咨询事项或内容中的文字</source>
        <translation>Text in the subject or question</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>咨询时间</source>
        <translation>Time of consultation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>咨询人</source>
        <translation>Enquirer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>咨询事项</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>解答人</source>
        <translation>Answered by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>用时</source>
        <translation>Time spent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转为案件</source>
        <translation>Turn into case</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>共 {n} 条</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已转（待受理）</source>
        <translation>Turned into case (not accepted)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（匿名）</source>
        <translation>(anonymous)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} 分钟</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>打开案件</source>
        <translation>Open case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转为案件…</source>
        <translation>Turn into case…</translation>
    </message>
</context>
<context>
    <name>DateEdit</name>
    <message>
        <location filename="../../mediation/ui/widgets.py" line="+231"/>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
</context>
<context>
    <name>DeclineDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-425"/>
        <location line="+3"/>
        <source>不予受理</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>不予受理的，应告知当事人理由及其他解决途径。</source>
        <translation>When declining, tell the parties why and what other ways they have to resolve the dispute.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不予受理的理由</source>
        <translation>Reason for declining</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已向人民法院起诉</source>
        <translation>Already filed with a people&apos;s court</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>不属于民间纠纷</source>
        <translation>Not a civil dispute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当事人不同意调解</source>
        <translation>A party does not agree to mediation</translation>
    </message>
</context>
<context>
    <name>DeskPage</name>
    <message>
        <location filename="../../mediation/ui/setup_wizard.py" line="-128"/>
        <source>欢迎使用警校联调调解台</source>
        <translation>Welcome to the Mediation Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第一次启动，先用一分钟设置调解点。以后可由管理员修改。</source>
        <translation>This is the first start: take a minute to set up the desk. An administrator can change it later.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本调解点(&amp;D)：</source>
        <translation>This &amp;desk:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请填写本调解点的名称和案件编号前缀。编号在案件受理时自动生成，每年从 001 重新开始。</source>
        <translation>Enter the desk&apos;s name and the prefix of its case numbers. Numbers are given when a case is accepted and start again at 001 every year.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>这个数据库已由多个调解点共用。请选择本电脑所属的调解点（由数据库管理员添加），再创建它的管理员账户。</source>
        <translation>This database is already shared by several desks. Choose the desk this computer belongs to (added by the database administrator), then create its administrator account.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>这个数据库已由多个调解点共用，但没有等待加入的调解点。请数据库管理员先添加本调解点（mediation desk add）并为本电脑授权数据库账号（mediation db grant-desk）。</source>
        <translation>This database is already shared by several desks, but no desk is waiting to join. Ask the database administrator to add this desk first (mediation desk add) and grant this computer a database account (mediation db grant-desk).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>调解点名称(&amp;N)：</source>
        <translation>Desk &amp;name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解委员会名称：</source>
        <translation>Mediation committee:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编号前缀(&amp;P)：</source>
        <translation>Number &amp;prefix:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：某某大学警校联调中心</source>
        <translation>e.g. Example University Police-School Mediation Centre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>可留空，默认与调解点名称相同</source>
        <translation>optional; defaults to the desk&apos;s name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：X警校调字</source>
        <translation>e.g. X警校调字</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>X警校调字</source>
        <translation>X警校调字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编号示例：{example}</source>
        <translation>Example number: {example}</translation>
    </message>
</context>
<context>
    <name>DesksDialog</name>
    <message>
        <location filename="../../mediation/ui/desks_dialog.py" line="-103"/>
        <source>调解点</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>编号前缀</source>
        <translation>Number prefix</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人民调解委员会</source>
        <translation>People&apos;s mediation committee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改编号前缀不会改变已经编号的案件，下一件受理的案件起使用新前缀。每次修改都记入审计日志。</source>
        <translation>Changing the prefix does not renumber existing cases; the next accepted case gets the new prefix. Every change is recorded in the audit log.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>调解点名称：</source>
        <translation>Desk name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调解委员会名称：</source>
        <translation>Mediation committee:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>编号前缀：</source>
        <translation>Number prefix:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>添加调解点…</source>
        <translation>Add desk…</translation>
    </message>
</context>
<context>
    <name>DiffView</name>
    <message>
        <location filename="../../mediation/ui/approval_dialog.py" line="-241"/>
        <source>⋯ 未改动的内容略 ⋯</source>
        <translation>⋯ unchanged content omitted ⋯</translation>
    </message>
</context>
<context>
    <name>DocumentEditor</name>
    <message>
        <location filename="../../mediation/ui/document_editor.py" line="+125"/>
        <source>编辑文书</source>
        <translation>Edit document</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>检查结果</source>
        <translation>Check results</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>点“检查”核对协议书应有的内容（保存后检查）。</source>
        <translation>Click “Check” to verify the content an agreement must have (it is saved first).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>点一条问题，跳到要修改的地方</source>
        <translation>Click a problem to jump to where it needs fixing</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提交审批</source>
        <translation>Submit for approval</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>保存并检查必备内容、金额大小写、日期和当事人</source>
        <translation>Save and check required content, amounts in words and figures, dates and parties</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存并交督导民警审批；检查有错误时不能提交</source>
        <translation>Save and send to the supervising officer for approval; not possible while the check finds errors</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+168"/>
        <source>{title}&#x3000;第{n}版&#x3000;{status}</source>
        <translation>{title}  Version {n}  {status}</translation>
    </message>
    <message>
        <location line="-166"/>
        <source>编辑 {title} — {number}</source>
        <translation>Edit {title} — {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未编号</source>
        <translation>No number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件 {number}。当事人、调解员等信息取自案件登记，如需修改请在案件窗口中“编辑”。</source>
        <translation>Case {number}. Parties, mediator and similar details come from the case registration; to change them, click “Edit” in the case window.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（未编号）</source>
        <translation>(no number)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{who}退回修改：{comment}</source>
        <translation>{who} returned it for changes: {comment}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>该文书{status}，不能在这里修改。</source>
        <translation>This document is “{status}” and cannot be changed here.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>治安调解协议书一式三份。</source>
        <translation>A police mediation agreement is made in three copies.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按规定一式{n}份：当事人各执一份，调解组织留存一份。</source>
        <translation>Required: {n} copies, one for each party and one kept by the mediation organisation.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source> 份</source>
        <translation> copies</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>请先改正标红的内容：{m}</source>
        <translation>First correct the items marked in red: {m}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>已提交督导民警审批。</source>
        <translation>Submitted to the supervising officer for approval.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>检查发现错误，未提交审批。请按右侧的提示修改后再提交。</source>
        <translation>The check found errors; the document was not submitted. Fix them as shown on the right, then submit again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>该文书已被其他人修改，您的内容还没有保存（仍在窗口中）。可以先复制需要的文字，再重新载入。</source>
        <translation>Someone else changed this document; your text has not been saved (it is still in the window). You can copy what you need first, then reload.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新载入（放弃我的修改）</source>
        <translation>Reload (discard my changes)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>错误：{m}</source>
        <translation>Error: {m}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>提醒：{m}</source>
        <translation>Warning: {m}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>检查通过：没有发现问题。</source>
        <translation>Check passed: no problems found.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>发现 {e} 处错误（须改正后才能审批）、{w} 条提醒。</source>
        <translation>Found {e} errors (must be fixed before approval) and {w} warnings.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>没有错误；{w} 条提醒可酌情处理。</source>
        <translation>No errors; {w} warnings to consider.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>点击跳到“{label}”</source>
        <translation>Click to go to “{label}”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>此项来自案件登记信息或调解点设置，请在案件窗口或设置中修改。</source>
        <translation>This comes from the case registration or the desk settings; change it in the case window or in Settings.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文书有未保存的修改。要保存吗？</source>
        <translation>The document has unsaved changes. Save them?</translation>
    </message>
</context>
<context>
    <name>DocumentStatus</name>
    <message>
        <location line="-788"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待审批</source>
        <translation>Awaiting approval</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已审批</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已更正</source>
        <translation>Superseded</translation>
    </message>
</context>
<context>
    <name>DocumentsSection</name>
    <message>
        <location filename="../../mediation/ui/today_panel.py" line="-85"/>
        <source>待处理文书（{n}）</source>
        <translation>Documents to handle ({n})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>没有待审批或退回修改的文书</source>
        <translation>No documents awaiting approval or returned for changes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>待审批</source>
        <translation>Awaiting approval</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>退回修改</source>
        <translation>Return for changes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待受理</source>
        <translation>not accepted</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <location filename="../../mediation/ui/documents_tab.py" line="+66"/>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提交审批</source>
        <translation>Submit for approval</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审批</source>
        <translation>Review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签名</source>
        <translation>Sign</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+581"/>
        <location line="+9"/>
        <source>定稿</source>
        <translation>Finalize</translation>
    </message>
    <message>
        <location line="-589"/>
        <source>上传签字扫描件</source>
        <translation>Upload signed scan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>更正（新版本）</source>
        <translation>Correct (new version)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 DOCX</source>
        <translation>Export DOCX</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>起草：</source>
        <translation>Draft:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审批：</source>
        <translation>Review:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署：</source>
        <translation>Sign:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输出：</source>
        <translation>Output:</translation>
    </message>
    <message>
        <location line="+154"/>
        <source>新建文书</source>
        <translation>New document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择文书类型；内容从案件记录预先填好</source>
        <translation>Choose the document type; the content is prefilled from the case record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+70"/>
        <source>起草司法确认申请书</source>
        <translation>Draft judicial confirmation application</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>文书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>校验码</source>
        <translation>Check code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>还没有文书。点“新建文书”选择要起草的文书。</source>
        <translation>No documents yet. Click “New document” to choose one to draft.</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>司法确认：双方当事人可在 {date} 前（协议生效起 30 日内）共同向人民法院申请司法确认，还剩 {n} 天。</source>
        <translation>Judicial confirmation: the parties can jointly apply to a people&apos;s court before {date} (within 30 days of the agreement taking effect); {n} days left.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>司法确认：申请期限已于 {date} 届满。</source>
        <translation>Judicial confirmation: the application period ended on {date}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>打开司法确认申请书</source>
        <translation>Open judicial confirmation application</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+140"/>
        <source>第{n}版</source>
        <translation>Version {n}</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>退回意见：{c}</source>
        <translation>Return comments: {c}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>等待督导民警审批</source>
        <translation>Awaiting the supervising officer&apos;s approval</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>待签名：{names}</source>
        <translation>Signatures pending: {names}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>各方已签名，可以定稿</source>
        <translation>All parties have signed; ready to finalize</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>纸质签字；已上传扫描件</source>
        <translation>Signed on paper; scan uploaded</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>纸质签字；请打印签字后上传扫描件</source>
        <translation>Signed on paper; print it, have it signed, then upload the scan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>屏幕签名；定稿于 {t}</source>
        <translation>Signed on screen; finalized {t}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+109"/>
        <source>更正理由：{r}</source>
        <translation>Reason for correction: {r}</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>请先在列表中选择一份文书。</source>
        <translation>Select a document in the list first.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已定稿的文书不能修改；请用“更正（新版本）”。</source>
        <translation>A finalized document cannot be changed; use “Correct (new version)”.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文书{status}，不能修改。</source>
        <translation>The document is “{status}” and cannot be changed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您的角色不能起草文书。</source>
        <translation>Your role cannot draft documents.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已定稿，无需检查。</source>
        <translation>Already finalized; no check needed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>需要督导民警审批。</source>
        <translation>This needs the supervising officer&apos;s approval.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>文书{status}，无需审批。</source>
        <translation>The document is “{status}”; no approval needed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>文书须经督导民警审批通过后才能签名、定稿。</source>
        <translation>A document must be approved by the supervising officer before it can be signed and finalized.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>各方已签名。</source>
        <translation>All parties have signed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您的角色不能办理签署。</source>
        <translation>Your role cannot handle signing.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请先定稿并打印，双方签字后再上传扫描件。</source>
        <translation>Finalize and print it first, then upload the scan once both parties have signed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>只有定稿的文书需要更正；草稿可以直接编辑。</source>
        <translation>Only finalized documents need correcting; drafts can be edited directly.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您的角色不能更正文书。</source>
        <translation>Your role cannot correct documents.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>下一步：“编辑”内容，点“检查”核对，没有错误即可“提交审批”。</source>
        <translation>Next: “Edit” the content, click “Check” to verify it, and if there are no errors, “Submit for approval”.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已退回：请按退回意见修改后重新“提交审批”。</source>
        <translation>Returned: make the changes asked for, then “Submit for approval” again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已提交，等您审批：点“审批”查看与您上次所见相比改了什么，然后批准或退回。</source>
        <translation>Submitted and waiting for you: click &quot;Review&quot; to see what changed since you last looked, then approve or return it.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已提交，等待督导民警“审批”。</source>
        <translation>Submitted; waiting for the supervising officer to “Review” it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已审批：请各方在屏幕上“签名”后“定稿”；也可直接“定稿”为纸质签字版，打印签字后“上传签字扫描件”。</source>
        <translation>Approved: have each party “Sign” on screen, then “Finalize”; or “Finalize” right away for signing on paper, print it, and once signed, “Upload signed scan”.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已定稿，内容不能再改。打印件页脚有校验码；如需更正，请点“更正（新版本）”并写明理由。</source>
        <translation>Finalized; the content can no longer be changed. Printouts carry a check code in the footer; to correct it, click “Correct (new version)” and give the reason.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{who} 起草于 {when}</source>
        <translation>Drafted by {who}, {when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{who} 审批于 {when}</source>
        <translation>Approved by {who}, {when}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>定稿于 {when}，校验码 {code}</source>
        <translation>Finalized {when}, check code {code}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>纸质签字</source>
        <translation>Signed on paper</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>屏幕签名</source>
        <translation>Signed on screen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{when} {who} {decision}（第{n}版）{comment}</source>
        <translation>{when} {who} {decision} (version {n}){comment}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>审批通过</source>
        <translation>approved</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>退回修改</source>
        <translation>returned for changes</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{role} {name}，{when}（由 {by} 采集）</source>
        <translation>{role} {name}, {when} (captured by {by})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>错误：{m}</source>
        <translation>Error: {m}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>提醒：{m}</source>
        <translation>Warning: {m}</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>检查发现 {n} 处错误：{first}。详见下方“检查结果”，请“编辑”修改。</source>
        <translation>The check found {n} errors: {first}. See “Check results” below and use “Edit” to fix them.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>没有错误；{n} 条提醒见下方“检查结果”。</source>
        <translation>No errors; {n} warnings under “Check results” below.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>检查通过：没有发现问题。</source>
        <translation>Check passed: no problems found.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已提交督导民警审批。</source>
        <translation>Submitted to the supervising officer for approval.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>还缺少以下人员的签名：{names}。</source>
        <translation>Signatures still missing from: {names}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>可以先请他们“签名”；或者改为纸质签字：定稿后打印，由各方手写签名，再上传扫描件。定稿后内容不能再修改。</source>
        <translation>You can ask them to “Sign” first, or switch to signing on paper: finalize, print, have each party sign by hand, then upload the scan. Once finalized, the content can no longer be changed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>纸质签字定稿</source>
        <translation>Finalize for paper signing</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>各方已在屏幕上签名。定稿后文书内容不能再修改，只能更正为新版本。</source>
        <translation>All parties have signed on screen. Once finalized, the document cannot be changed, only corrected as a new version.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已定稿，校验码 {code}。</source>
        <translation>Finalized, check code {code}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请打印，各方签字后点“上传签字扫描件”。</source>
        <translation>Print it; once every party has signed, click “Upload signed scan”.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>选择签字页扫描件</source>
        <translation>Choose the scan of the signed page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)</source>
        <translation>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>无法读取文件“{name}”（{why}）。</source>
        <translation>Cannot read the file “{name}” ({why}).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已上传签字扫描件，并附在该版本上。</source>
        <translation>The signed scan was uploaded and attached to this version.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>更正文书</source>
        <translation>Correct document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已定稿的第{n}版将保留原样；新版本从它的内容开始。请写明更正的理由：</source>
        <translation>Final version {n} stays as it is; the new version starts from its content. Please give the reason for the correction:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已创建新版本（草稿），请编辑后重新提交审批。</source>
        <translation>A new version (draft) was created; edit it and submit it for approval again.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{number} {title} 第{n}版</source>
        <translation>{number} {title} v{n}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{title}（第{n}版，{status}）</source>
        <translation>{title} (version {n}, {status})</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>已导出到：{path}</source>
        <translation>Exported to: {path}</translation>
    </message>
</context>
<context>
    <name>DutyMenu</name>
    <message>
        <location filename="../../mediation/ui/duty_menu.py" line="+71"/>
        <source>值班(&amp;D)</source>
        <translation>&amp;Duty</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签到 / 签退与交接班…</source>
        <translation>Check in / out and handover…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>我的值班与工时…</source>
        <translation>My duty and hours…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>学期、志愿者与排班…</source>
        <translation>Terms, volunteers and roster…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>值班与工时总览…</source>
        <translation>Duty and hours overview…</translation>
    </message>
</context>
<context>
    <name>DutySection</name>
    <message>
        <location filename="../../mediation/ui/today_panel.py" line="-78"/>
        <source>今日值班</source>
        <translation>On duty today</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+28"/>
        <source>签到（我已到岗）</source>
        <translation>Check in (I&apos;m here)</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>在岗</source>
        <translation>present</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已签退</source>
        <translation>Checked out</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未签到</source>
        <translation>Not checked in</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{status} · {name} {start}–{end}</source>
        <translation>{status} · {name} {start}–{end}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>今天没有排班</source>
        <translation>No shifts today</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>现在在岗：{names}</source>
        <translation>On duty now: {names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>现在没有人签到在岗</source>
        <translation>Nobody is checked in now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签退</source>
        <translation>Check out</translation>
    </message>
</context>
<context>
    <name>EditUserDialog</name>
    <message>
        <location filename="../../mediation/ui/edit_user_dialog.py" line="+63"/>
        <source>修改账户</source>
        <translation>Edit account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用户名：</source>
        <translation>Username:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>角色：</source>
        <translation>Role:</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <location filename="../../mediation/ui/widgets.py" line="+226"/>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>其他人已保存为（您的内容仍在上面的输入框中）：</source>
        <translation>Someone else saved this (your input is still in the box above):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>改用对方的内容</source>
        <translation>Use their version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保留我的内容</source>
        <translation>Keep mine</translation>
    </message>
</context>
<context>
    <name>FigureChip</name>
    <message>
        <location filename="../../mediation/ui/case_filter_bar.py" line="-124"/>
        <source>统计：{figure}（{n}件）</source>
        <translation>Statistics: {figure} ({n} cases)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消此筛选，显示全部案件</source>
        <translation>Remove this filter and show all cases</translation>
    </message>
</context>
<context>
    <name>FinishPage</name>
    <message>
        <location filename="../../mediation/ui/setup_wizard.py" line="+111"/>
        <source>准备就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>点击“完成”创建调解点和管理员账户，然后进入主窗口。</source>
        <translation>Click “Finish” to create the desk and the administrator account and open the main window.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同时准备练习数据库（虚构的案件和人员）</source>
        <translation>Also prepare a practice database (fictitious cases and people)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>练习数据另存为单独的文件，不进入正式台账：新同学在登录窗口点“练习模式”使用，随时可以重置。正式台账保持为空，第一件受理的案件编号为第001号。</source>
        <translation>Practice data is kept in a separate file, never in the real records: newcomers use it through “Practice mode” in the login window, and it can be reset at any time. The real records stay empty; the first accepted case gets number 001.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>调解点：{desk}
编号示例：{example}
管理员：{name}（{user}）</source>
        <translation>Desk: {desk}
Example number: {example}
Administrator: {name} ({user})</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+381"/>
        <source>添加回访记录</source>
        <translation>Add follow-up record</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>保存记录</source>
        <translation>Save record</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回访时间</source>
        <translation>Follow-up time</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>回访方式</source>
        <translation>Follow-up method</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>回访事由</source>
        <translation>Reason for follow-up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回访情况</source>
        <translation>Follow-up findings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当事人反映的履行情况、是否还有矛盾</source>
        <translation>What the parties say about performance, and whether any conflict remains</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>履行情况</source>
        <translation>Performance status</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../mediation/ui/widgets.py" line="+229"/>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>请更正标红的内容后再保存：{fields}。</source>
        <translation>Correct what is marked in red, then save: {fields}.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>载入最新版本（保留我的输入）</source>
        <translation>Load the latest version (keep my input)</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../mediation/ui/handover_dialog.py" line="+80"/>
        <source>签退与交接班</source>
        <translation>Check out and handover</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>需要接班同学知道的事项（根据您承办的案件自动列出）</source>
        <translation>What the next shift needs to know (listed from your cases automatically)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>补充说明</source>
        <translation>Additional notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：答应来访人下午三点回电话；当事人明天上午来取协议书……</source>
        <translation>e.g. promised to call a visitor back at 3 pm; a party will collect the agreement tomorrow morning…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签退并交接</source>
        <translation>Check out and hand over</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>暂不签退，直接退出</source>
        <translation>Quit without checking out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>班次到时自动结束并记为“未签退”，也不会留下交接班</source>
        <translation>The shift ends on time as “not checked out”, and no handover is left</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>没有两个工作日内到期的事项</source>
        <translation>Nothing due within two working days</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>您现在没有签到的班次。</source>
        <translation>You are not checked in to any shift.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有可以签退的班次。</source>
        <translation>There is no shift to check out of.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>本班次：{start}–{end}，{when} 签到</source>
        <translation>This shift: {start}–{end}, checked in {when}</translation>
    </message>
</context>
<context>
    <name>HandoverSection</name>
    <message>
        <location filename="../../mediation/ui/handover_section.py" line="+52"/>
        <source>确认已阅</source>
        <translation>Mark as read</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>我已读过这份交接班，会跟进其中的事项</source>
        <translation>I have read this handover and will follow up on it</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>交接班待确认（{n}）</source>
        <translation>Handovers to confirm ({n})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{who} {when} · {n} 项</source>
        <translation>{who} {when} · {n} items</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>（没有到期事项）</source>
        <translation>(nothing due)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>补充说明：{note}</source>
        <translation>Notes: {note}</translation>
    </message>
</context>
<context>
    <name>HolidayDialog</name>
    <message>
        <location filename="../../mediation/ui/holiday_dialog.py" line="+69"/>
        <source>节假日与调休</source>
        <translation>Holidays and swapped working days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年份：</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>本年安排已按国务院通知核对</source>
        <translation>This year checked against the State Council notice</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+32"/>
        <source>放假</source>
        <translation>Day off</translation>
    </message>
    <message>
        <location line="-31"/>
        <location line="+31"/>
        <source>调休上班</source>
        <translation>Workday (swap)</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>恢复正常</source>
        <translation>Normal day</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>节日名称，如“国庆节”</source>
        <translation>holiday name, e.g. National Day</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>设置</source>
        <translation>Set</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{year} 年的放假安排尚未录入或核对：期限暂按周一至周五计算。请按国务院办公厅的放假通知录入放假日和调休上班日，然后勾选“本年安排已按国务院通知核对”。</source>
        <translation>The holidays of {year} have not been entered or checked yet: deadlines count Monday to Friday for now. Enter the days off and the swapped working days from the State Council&apos;s notice, then tick “This year checked against the State Council notice”.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>有 {n} 件在办案件的期限落在 {year} 年，而 {year} 年的节假日尚未录入：这些期限暂按周一至周五推算。请选择 {year} 年录入放假和调休安排，并勾选“本年安排已按国务院通知核对”。</source>
        <translation>{n} open cases have deadlines in {year}, but the holidays of {year} are not entered yet: those deadlines count Monday to Friday for now. Choose {year}, enter the days off and swapped working days, and tick “This year checked against the State Council notice”.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>内置日历</source>
        <translation>Built-in calendar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>手工录入</source>
        <translation>Entered by hand</translation>
    </message>
</context>
<context>
    <name>IdSearchDialog</name>
    <message>
        <location filename="../../mediation/ui/id_search_dialog.py" line="+70"/>
        <source>按证件号码查找</source>
        <translation>Find by ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证件号码(&amp;I)：</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完整的身份证号码，或其最后 6 位</source>
        <translation>full ID card number, or its last 6 digits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每次按证件号码查找都会记入审计日志；结果中不显示证件号码。</source>
        <translation>Every search by ID number is recorded in the audit log; results do not show ID numbers.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>登记日期</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>（受理后编号）</source>
        <translation>(no number yet)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>找到 {n} 件案件。</source>
        <translation>{n} cases found.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有找到当事人证件号码与此相符的案件。</source>
        <translation>No case has a party with this ID number.</translation>
    </message>
</context>
<context>
    <name>ImportJob</name>
    <message>
        <location filename="../../mediation/ui/import_dialog.py" line="+56"/>
        <source>正在检查并导入 {name}…</source>
        <translation>Checking and importing {name}…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>导入数据</source>
        <translation>Import data</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在导入 {name}：{done} / {total} 件</source>
        <translation>Importing {name}: {done} / {total} cases</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>已导入 {n} 件案件、{c} 条咨询记录。</source>
        <translation>Imported {n} cases and {c} consultations.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>新建调解点 {d} 个、账户 {u} 个。</source>
        <translation>Created {d} desks and {u} accounts.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>跳过 {k} 件已存在的案件。</source>
        <translation>Skipped {k} cases that already exist.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入完成</source>
        <translation>Import finished</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>文件中有 {n} 处问题，没有导入任何数据。请改正后再导入：</source>
        <translation>The file has {n} problems; nothing was imported. Correct them and import again:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>……（其余见“详细信息”）</source>
        <translation>… (the rest under &quot;Show Details&quot;)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无法导入</source>
        <translation>Cannot import</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>导入台账或导出文件</source>
        <translation>Import a ledger or an export file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 台账或导出文件 (*.xlsx *.json);;所有文件 (*)</source>
        <translation>Excel ledgers or export files (*.xlsx *.json);;All files (*)</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <location filename="../../mediation/ui/intake_dialog.py" line="+217"/>
        <source>修改案件信息</source>
        <translation>Edit case details</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>咨询转为案件</source>
        <translation>Turn consultation into case</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登记新纠纷</source>
        <translation>Register new dispute</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+620"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location line="-619"/>
        <source>至少登记一名申请人和一名被申请人。代理人、监护人请选择其代表的当事人。身份证号码填写后会自动带出出生日期和性别。</source>
        <translation>Register at least one applicant and one respondent. For an agent or guardian, choose the party they act for. Entering an ID card number fills in the date of birth and sex automatically.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>＋ 添加当事人</source>
        <translation>+ Add party</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>再添加一名申请人、被申请人、第三人、代理人或监护人</source>
        <translation>Add another applicant, respondent, third party, agent or guardian</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>纠纷情况</source>
        <translation>The dispute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>纠纷事实</source>
        <translation>Facts of the dispute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>何时、何地、因何事发生纠纷，经过如何，双方争议的焦点是什么</source>
        <translation>When, where and why the dispute arose, what happened, and what the two sides disagree on</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>请求事项</source>
        <translation>Claims</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请人希望如何解决，如：请求退还押金2500元</source>
        <translation>How the applicant wants it resolved, e.g. return of the 2500 yuan deposit</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>涉及金额（元）</source>
        <translation>Amount involved (yuan)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受理前必须选定（不清楚可先登记，稍后补上）</source>
        <translation>required before acceptance (if unsure, register now and add it later)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>具体类型</source>
        <translation>Subcategory</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>纠纷来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>案由/标题（可不填）</source>
        <translation>Subject / title (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如：租房押金纠纷</source>
        <translation>e.g. rental deposit dispute</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+100"/>
        <location line="+7"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>该案件已结案或归档，不能再修改。</source>
        <translation>This case is closed or archived and can no longer be changed.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>（该类别无细分）</source>
        <translation>(no subcategories)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>还没有选择纠纷类别：没有类别的案件不能受理。请选择；确实还不清楚，再点一次“{ok}”先登记。</source>
        <translation>No category chosen yet: a case without a category cannot be accepted. Choose one; if you really do not know yet, click “{ok}” again to register it anyway.</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>删除当事人</source>
        <translation>Remove party</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除“{label}”？已填写的内容将被清除。</source>
        <translation>Remove “{label}”? What you entered will be cleared.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>保留</source>
        <translation>Keep</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>未满18周岁：请添加其监护人（身份选“监护人”）。</source>
        <translation>Under 18: add their guardian (role &quot;Guardian&quot;).</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>发现未保存的草稿，是否恢复？（{when} 保存；当事人：{names}）</source>
        <translation>An unsaved draft was found. Restore it? (saved {when}; parties: {names})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未填</source>
        <translation>not entered</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> 另有 {n} 份草稿。</source>
        <translation> There are {n} more drafts.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>恢复草稿</source>
        <translation>Restore draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>丢弃草稿</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>已恢复草稿。请核对后保存。</source>
        <translation>Draft restored. Check it, then save.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>当事人{n}的{field}</source>
        <translation>party {n}: {field}</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>其他人保存的当事人为：{names}。当前表单保留了您填写的当事人信息。</source>
        <translation>The parties saved by someone else are: {names}. The form keeps the party details you entered.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已载入其他人保存的最新版本（第 {v} 版），并保留了您的输入。以下内容双方不同，已在字段下方列出对方的内容：{fields}。核对后请再次保存（Ctrl+S）。</source>
        <translation>Loaded the latest version saved by someone else (version {v}) and kept your input. These fields differ; their content is shown below each field: {fields}. Check them, then save again (Ctrl+S).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已载入其他人保存的最新版本（第 {v} 版），您的修改与之不冲突，已保留。请再次保存（Ctrl+S）。</source>
        <translation>Loaded the latest version saved by someone else (version {v}); your changes do not conflict with it and were kept. Please save again (Ctrl+S).</translation>
    </message>
</context>
<context>
    <name>InvestigationDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-319"/>
        <source>添加调查记录</source>
        <translation>Add investigation record</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>保存记录</source>
        <translation>Save record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调查时间</source>
        <translation>Investigation time</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调查对象</source>
        <translation>Persons interviewed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如：被申请人李四、宿舍管理员</source>
        <translation>e.g. respondent Li Si, dormitory manager</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调查内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>询问了什么、对方如何回答、查看了哪些证据</source>
        <translation>What was asked, how they answered, which evidence was examined</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <location filename="../../mediation/ui/lock_dialog.py" line="+36"/>
        <source>锁定工时</source>
        <translation>Lock hours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：十月工时已核对</source>
        <translation>e.g. October hours checked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定后，这段时间内的工时不能再补记、确认或更改。待确认的事项须先处理。</source>
        <translation>Once locked, hours in this period can no longer be claimed, confirmed or changed. Pending items must be handled first.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../mediation/ui/lock_screen.py" line="+257"/>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请下一位值班人员在下方用自己的账户登录。当前用户输入自己的密码，可以回到刚才的工作。</source>
        <translation>The next person on duty logs in below with their own account. The current user can enter their password to return to their work.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>电脑闲置一段时间后自动锁定，以保护当事人的个人信息。您未保存的内容仍然保留。</source>
        <translation>The computer locked itself after a while without use, to protect the parties&apos; personal data. Your unsaved input is still there.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>屏幕已手动锁定。您未保存的内容仍然保留。</source>
        <translation>The screen was locked by hand. Your unsaved input is still there.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输入密码解锁</source>
        <translation>Password to unlock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>当前用户：{name}（{role}）</source>
        <translation>Logged in: {name} ({role})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不是{name}？切换用户</source>
        <translation>Not {name}? Switch user</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>切换后，{name}未保存的内容会存为草稿，只有{name}本人再次登录后才能看到。</source>
        <translation>After switching, {name}&apos;s unsaved input is kept as a draft that only {name} sees after logging in again.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>密码不正确。已连续输错 {n} 次，再次输错将锁定账户。</source>
        <translation>Wrong password, {n} times in a row. One more wrong password locks the account.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>密码不正确，屏幕仍然锁定。</source>
        <translation>Wrong password; the screen stays locked.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../mediation/ui/login_dialog.py" line="+264"/>
        <source>登录 — 警校联调调解台</source>
        <translation>Log in — Mediation Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警校联调调解台</source>
        <translation>Mediation Desk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请用您本人的账户登录，不要使用他人账户。忘记密码、账户被锁定或到期，请联系管理员。</source>
        <translation>Log in with your own account, never someone else&apos;s. If you forgot your password or your account is locked or expired, ask the administrator.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>练习模式…</source>
        <translation>Practice mode…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新同学先在练习数据库里熟悉软件：虚构的案件和账户，另存一个文件，不进入正式台账</source>
        <translation>Newcomers learn the software in a practice database: fictitious cases and accounts, in a separate file, never in the real records</translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <location line="-170"/>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您自己的用户名</source>
        <translation>your own username</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码</source>
        <translation>password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>请输入用户名。</source>
        <translation>Please enter your username.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在验证…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>须设置新密码</source>
        <translation>New password required</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>管理员重设了您的密码：设置您自己的新密码后才能登录。</source>
        <translation>An administrator reset your password: set a new password of your own to log in.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>登录失败</source>
        <translation>Login failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>账户已锁定</source>
        <translation>Account locked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>账户已到期</source>
        <translation>Account expired</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>账户已停用</source>
        <translation>Account disabled</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法登录</source>
        <translation>Cannot log in</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../mediation/ui/main_window.py" line="-66"/>
        <source>新建纠纷(&amp;N)</source>
        <translation>&amp;New dispute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建纠纷</source>
        <translation>New dispute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记一件新的纠纷（Ctrl+N）</source>
        <translation>Register a new dispute (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记咨询(&amp;Q)</source>
        <translation>Log &amp;consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录一次法律咨询（Ctrl+Shift+N）</source>
        <translation>Log a legal consultation (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开案件(&amp;O)</source>
        <translation>&amp;Open case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开所选案件（也可双击一行或按回车）</source>
        <translation>Open the selected case (or double-click a row, or press Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>咨询记录(&amp;J)…</source>
        <translation>Consultation lo&amp;g…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查看、修改已登记的法律咨询，或把咨询转为案件</source>
        <translation>View and edit logged legal consultations, or turn one into a case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新载入案件列表和今日面板（F5）</source>
        <translation>Reload the case list and the Today panel (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>搜索(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按证件号码查找(&amp;I)…</source>
        <translation>Find by &amp;ID number…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按完整的身份证号码或其最后 6 位查找案件（记入审计日志）</source>
        <translation>Find cases by a full ID card number or its last 6 digits (recorded in the audit log)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>显示筛选栏</source>
        <translation>Show filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>显示今日面板</source>
        <translation>Show Today panel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定屏幕(&amp;L)</source>
        <translation>&amp;Lock screen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>离开座位时锁定屏幕（Ctrl+L）</source>
        <translation>Lock the screen when you leave the desk (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>切换用户…</source>
        <translation>Switch user…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统计…</source>
        <translation>Statistics…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报表中心…</source>
        <translation>Reports…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统计口径…</source>
        <translation>Statistics mapping…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>账户管理…</source>
        <translation>User accounts…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>值班安排…</source>
        <translation>Duty roster…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>节假日与调休…</source>
        <translation>Holidays and working days…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文书模板…</source>
        <translation>Document templates…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解点…</source>
        <translation>Desks…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入台账或数据…</source>
        <translation>Import ledger or data…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立即备份…</source>
        <translation>Back up now…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新手指南(&amp;G)</source>
        <translation>&amp;Getting started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件(&amp;C)</source>
        <translation>&amp;Cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>管理(&amp;A)</source>
        <translation>&amp;Admin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工具(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>警校联调调解台</source>
        <translation>Mediation Desk</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>当前用户：{name}（{role}）</source>
        <translation>Logged in: {name} ({role})</translation>
    </message>
    <message>
        <location line="+162"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>共 {n}+ 件（已载入 {loaded} 件，正在统计准确总数…）</source>
        <translation>{n}+ cases ({loaded} loaded, counting the exact total…)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>共 {total} 件（已载入 {loaded} 件，向下滚动载入更多）</source>
        <translation>{total} cases ({loaded} loaded; scroll down for more)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>共 {total} 件</source>
        <translation>{total} cases</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>没有符合条件的案件。
请换一个搜索词，或点击左侧的“清除筛选”。</source>
        <translation>No case matches.
Try another search, or click “Clear filters” on the left.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>还没有案件。
点击工具栏的“新建纠纷”（Ctrl+N）登记第一件纠纷；只是来咨询的，请用“登记咨询”。</source>
        <translation>No cases yet.
Click “New dispute” (Ctrl+N) in the toolbar to register the first one; for someone who only asks for advice, use “Consultation”.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>此列不能排序，可按编号、登记日期、类别、阶段或期限排序。</source>
        <translation>This column cannot be sorted; sort by number, registration date, category, stage or deadline.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>这一行还在载入，请稍候再打开。</source>
        <translation>This row is still loading; open it in a moment.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>请先在列表中选中一件案件。</source>
        <translation>Select a case in the list first.</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>咨询已保存。可在“案件 → 咨询记录”中查看、修改或转为案件。</source>
        <translation>Consultation saved. You can view, edit or turn it into a case under “Cases → Consultation log”.</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>新手指南</source>
        <translation>Getting started</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>第一次值班？按下面的顺序做：</source>
        <translation>First shift? Go in this order:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1. 有人来咨询法律问题：点“登记咨询”，记下问题和解答。
2. 有人要调解纠纷：点“新建纠纷”（Ctrl+N），填写双方当事人、事实和请求，保存。
3. 督导民警受理并确定调解类型后，案件获得编号，在案件窗口里记录调解、协议和回访。
4. 右侧“今日”面板列出您的案件、快到期的期限和待回访的案件。
5. 离开座位时按 Ctrl+L 锁定屏幕；下班前点“签退”。
输入的内容会自动保存为草稿，锁屏或断电都不会丢失。</source>
        <translation>1. Someone asks a legal question: click “Consultation” and note the question and your answer.
2. Someone wants a dispute mediated: click “New dispute” (Ctrl+N), enter both parties, the facts and the claims, and save.
3. Once the supervising officer accepts the case and chooses the track, it gets a number; record sessions, the agreement and follow-ups in the case window.
4. The Today panel on the right lists your cases, deadlines coming up and follow-ups due.
5. Press Ctrl+L to lock the screen when you leave the desk; click “Check out” before you go.
What you type is saved as a draft automatically: neither a lock nor a power cut loses it.</translation>
    </message>
</context>
<context>
    <name>MoneyEdit</name>
    <message>
        <location filename="../../mediation/ui/widgets.py" line="-557"/>
        <source>如 2500 或 2500.50（元）</source>
        <translation>e.g. 2500 or 2500.50 (yuan)</translation>
    </message>
</context>
<context>
    <name>MyDutyDialog</name>
    <message>
        <location filename="../../mediation/ui/my_duty_dialog.py" line="+104"/>
        <source>我的值班与工时</source>
        <translation>My duty and hours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>我的班次</source>
        <translation>My shifts</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>换班</source>
        <translation>Shift swaps</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>补记工时</source>
        <translation>Claim hours</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>计入（小时）</source>
        <translation>Counted (h)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待确认（小时）</source>
        <translation>Pending (h)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请人</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>同学</source>
        <translation>Classmate</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时长（小时）</source>
        <translation>Duration (h)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请换班…</source>
        <translation>Request swap…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>接受</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不接受</source>
        <translation>Decline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤回申请</source>
        <translation>Withdraw request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>补记工时…</source>
        <translation>Claim hours…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>本调解点还没有值班学期。</source>
        <translation>This desk has no duty term yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{term}（{start} 至 {end}）：值班 {duty} 小时，办案 {case} 小时，培训 {training} 小时；待指导老师确认 {pending} 小时。已值班 {kept} 次，其中迟到 {late} 次，缺勤 {missed} 次。</source>
        <translation>{term} ({start} to {end}): duty {duty} h, casework {case} h, training {training} h; {pending} h awaiting the faculty adviser&apos;s confirmation. Shifts kept: {kept}, late: {late}, missed: {missed}.</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <location filename="../../mediation/ui/new_user_dialog.py" line="+88"/>
        <source>新建账户</source>
        <translation>New account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用户名：</source>
        <translation>Username:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>角色：</source>
        <translation>Role:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>初始密码：</source>
        <translation>Initial password:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>有效期至：</source>
        <translation>Valid until:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>例如学号或姓名拼音，不含空格</source>
        <translation>e.g. student number or name in pinyin, no spaces</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>至少 8 位，含字母和数字</source>
        <translation>at least 8 characters, letters and digits</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>到期后不能登录（值班学生按学期结束日）</source>
        <translation>Ends (volunteers: term end)</translation>
    </message>
</context>
<context>
    <name>OptionalDateTimeEdit</name>
    <message>
        <location filename="../../mediation/ui/document_editor.py" line="+293"/>
        <source>已知</source>
        <translation>Known</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <location filename="../../mediation/ui/outcome_dialog.py" line="+30"/>
        <source>统计事项</source>
        <translation>Statistical items</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>这些事项计入上报的统计表（防止民转刑、防止群体性上访、司法确认等）。</source>
        <translation>These items go into the statistics reported upward (escalation to crime prevented, group petitions prevented, judicial confirmation, etc.).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>防止民间纠纷转化为刑事案件（防止民转刑）</source>
        <translation>Prevented a civil dispute from turning into a criminal case</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+4"/>
        <source>涉及人数</source>
        <translation>People involved</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>防止群体性上访</source>
        <translation>Prevented a group petition</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>未注明</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>治安调解方式</source>
        <translation>Police mediation method</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>申请司法确认日期</source>
        <translation>Judicial confirmation applied on</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>受理法院</source>
        <translation>Court</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>尚未裁定</source>
        <translation>No ruling yet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>法院裁定</source>
        <translation>Court&apos;s ruling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>裁定日期</source>
        <translation>Ruling date</translation>
    </message>
</context>
<context>
    <name>PartyEditor</name>
    <message>
        <location filename="../../mediation/ui/party_editor.py" line="+101"/>
        <source>删除此当事人</source>
        <translation>Remove this party</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>个人</source>
        <translation>Person</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>代表（为谁代理/监护）</source>
        <translation>Acts for (agent / guardian of)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+272"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="-270"/>
        <source>法定代表人/负责人</source>
        <translation>Legal representative / person in charge</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+27"/>
        <source>（未填）</source>
        <translation>(not entered)</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他证件</source>
        <translation>Other ID</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>无/不详</source>
        <translation>None / unknown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>证件类型</source>
        <translation>ID type</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+253"/>
        <location line="+104"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="-355"/>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+270"/>
        <source>手机或固定电话</source>
        <translation>mobile or landline</translation>
    </message>
    <message>
        <location line="-268"/>
        <source>职业/工作单位或学校</source>
        <translation>Occupation / employer or school</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如：某大学法学院2023级</source>
        <translation>e.g. Law School, class of 2023</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解协议书上要写住址；现在不清楚可先空着，起草协议前补上</source>
        <translation>The agreement needs the address; leave it empty if unknown and add it before drafting the agreement</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>当事人类别</source>
        <translation>Party type</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>当事人 {n}</source>
        <translation>Party {n}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>（未填姓名）</source>
        <translation>(no name yet)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当事人{n} {name}（{role}）</source>
        <translation>Party {n} {name} ({role})</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+149"/>
        <source>单位名称</source>
        <translation>Organisation name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+7"/>
        <source>{masked}（留空不变）</source>
        <translation>{masked} (empty: unchanged)</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>已登记的号码：{masked}。留空则保留原号码；输入新号码则替换。</source>
        <translation>Number on record: {masked}. Leave empty to keep it; type a new number to replace it.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>电话</source>
        <translation>phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>此人已有 {n} 件案件：{name}（{what}相同；证件 {idm}，电话 {phm}）。可使用已登记信息，避免重复登记。</source>
        <translation>This person already has {n} cases: {name} (same {what}; ID {idm}, phone {phm}). You can use the registered details instead of registering them again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（另有 {n} 条相近记录）</source>
        <translation> ({n} more similar records)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>使用已登记信息</source>
        <translation>Use registered details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不是同一人</source>
        <translation>Not the same person</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>已关联已登记的当事人“{name}”，不会重复登记。此处填写的内容会更新其登记信息，留空的项目保留原有登记。</source>
        <translation>Linked to the registered party “{name}”; no duplicate will be created. What you enter here updates their registered details; fields left empty keep the existing details.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>取消关联</source>
        <translation>Unlink</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <location filename="../../mediation/ui/pdf_preview.py" line="+105"/>
        <source>没有可打印的页面。</source>
        <translation>There are no pages to print.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>无法开始打印：打印机不可用或输出文件无法写入。</source>
        <translation>Cannot start printing: the printer is unavailable or the output file cannot be written.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>打印机拒绝了下一页。</source>
        <translation>The printer refused the next page.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整页</source>
        <translation>Whole page</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>第 {page} / {pages} 页</source>
        <translation>Page {page} / {pages}</translation>
    </message>
    <message>
        <location line="+165"/>
        <source>导出为 PDF</source>
        <translation>Export as PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导出为 DOCX</source>
        <translation>Export as DOCX</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>没有可导出的内容。</source>
        <translation>There is nothing to export.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>无法写入文件 {path}：{why}</source>
        <translation>Cannot write the file {path}: {why}</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location line="-142"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 DOCX…</source>
        <translation>Export DOCX…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>打印份数：{n} 份</source>
        <translation>Copies to print: {n}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>无法显示该 PDF 文件（{e}）。</source>
        <translation>Cannot display this PDF file ({e}).</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>打印 {name}</source>
        <translation>Print {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已发送打印：每份 {pages} 页，共 {copies} 份。</source>
        <translation>Sent to the printer: {copies} copies of {pages} pages each.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>已导出到：{path}</source>
        <translation>Exported to: {path}</translation>
    </message>
</context>
<context>
    <name>PerformDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-123"/>
        <source>进入履行/回访</source>
        <translation>Enter performance / follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协议已签署，开始跟踪履行情况并安排回访。</source>
        <translation>The agreement is signed; start tracking its performance and schedule follow-ups.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PeriodPicker</name>
    <message>
        <location filename="../../mediation/ui/statistics_window.py" line="+82"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>季度</source>
        <translation>Quarter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{m}月</source>
        <translation>Month {m}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>第{q}季度</source>
        <translation>Q{q}</translation>
    </message>
</context>
<context>
    <name>PracticeLoginDialog</name>
    <message>
        <location filename="../../mediation/ui/practice_login.py" line="+91"/>
        <source>练习模式 — 警校联调调解台</source>
        <translation>Practice mode — Mediation Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警校联调调解台 · 练习模式</source>
        <translation>Mediation Desk · Practice mode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>练习数据随时可以“重置练习数据”重新生成。正式办案请点“返回正式登录”，用您本人的账户登录。</source>
        <translation>The practice data can be regenerated at any time with “Reset practice data”. For real cases, click “Back to real login” and log in with your own account.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重置练习数据…</source>
        <translation>Reset practice data…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>返回正式登录</source>
        <translation>Back to real login</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>正在生成练习数据（虚构的案件和人员），大约需要半分钟…</source>
        <translation>Generating practice data (fictitious cases and people); this takes about half a minute…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>重置练习数据</source>
        <translation>Reset practice data</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新生成练习数据库：其中的案件、文书和练习账户的改动都会丢失（正式数据库不受影响）。继续吗？</source>
        <translation>Regenerate the practice database? Changes to its cases, documents and practice accounts will be lost (the real database is not affected).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重置</source>
        <translation>Reset</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PracticeMark</name>
    <message>
        <location filename="../../mediation/ui/practice_mark.py" line="+20"/>
        <source>【练习模式】</source>
        <translation>[Practice mode]</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>练习模式：这里的案件、当事人和账户都是虚构的，只供练习，不会进入正式台账和统计。</source>
        <translation>Practice mode: the cases, parties and accounts here are fictitious, for practice only, and never reach the real records or statistics.</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <location filename="../../mediation/ui/reassign_dialog.py" line="+64"/>
        <source>移交案件：{name}</source>
        <translation>Hand over cases: {name}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>移交案件</source>
        <translation>Hand over cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在办案件（本人调解的，以及本人登记、尚未受理的）</source>
        <translation>Open cases (mediated by this person, or registered by them and not yet accepted)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>交给（可选多位，案件依次分配）</source>
        <translation>Hand to (several allowed; cases are shared out in turn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移交</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移交原因</source>
        <translation>Reason for handover</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：原承办人退出值班</source>
        <translation>e.g. the case handler left the duty roster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有需要移交的在办案件。</source>
        <translation>No open cases to hand over.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移交所选案件</source>
        <translation>Hand over selected cases</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>待受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>请至少选择一位接手的同事。</source>
        <translation>Choose at least one colleague to take over.</translation>
    </message>
</context>
<context>
    <name>ReferDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+394"/>
        <location line="+1"/>
        <source>引导/移送</source>
        <translation>Refer elsewhere</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>不宜或不能调解的，引导当事人向有关机关、组织解决，案件以“引导/移送”结束。</source>
        <translation>If the dispute should not or cannot be mediated, direct the parties to the competent authority or organisation; the case ends with “Refer elsewhere”.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>去向</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>ReferenceColumn</name>
    <message>
        <location filename="../../mediation/ui/reference_editor.py" line="+97"/>
        <source>{label}（已停用）</source>
        <translation>{label} (disabled)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>重新启用</source>
        <translation>Enable again</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
</context>
<context>
    <name>ReferenceEditor</name>
    <message>
        <location line="+46"/>
        <source>登记纠纷和咨询时可选的类别、具体类型和来源。改名后，已登记的案件随之显示新名称，统计不受影响；不再使用的项请“停用”：已有案件保留原项，新案件不再可选。</source>
        <translation>The categories, subcategories and sources offered when logging disputes and consultations. Renaming shows the new name on registered cases too, without affecting statistics; “Disable” items no longer used: existing cases keep them, new cases cannot choose them.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>调解点：</source>
        <translation>Desk:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>具体类型（所选类别下）</source>
        <translation>Subcategories (of the selected category)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纠纷来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>改名</source>
        <translation>Rename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>已添加“{label}”。</source>
        <translation>Added “{label}”.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已把“{old}”改名为“{new}”；已登记的案件随之显示新名称。</source>
        <translation>Renamed “{old}” to “{new}”; registered cases now show the new name.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>已调整顺序。</source>
        <translation>Order changed.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已重新启用“{label}”。</source>
        <translation>Enabled “{label}” again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已停用“{label}”：已有案件保留，新登记时不再可选。</source>
        <translation>Disabled “{label}”: existing cases keep it; it can no longer be chosen for new ones.</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-349"/>
        <location line="+4"/>
        <source>恢复调解</source>
        <translation>Reopen mediation</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>终止调解或不予受理的案件重新办理：曾经调解的回到“调解”阶段，未调解的回到“受理”阶段，不予受理的回到“登记”阶段。原来的终止（结案）日期不再计入统计，已上报的报表会标明“报送后有变动”；自受理起算的期限从恢复之日重新计算。</source>
        <translation>Take up again a case that was terminated or declined: one that had been mediated returns to “Mediation”, one never mediated to “Accepted”, a declined one to “Registered”. Its former termination (closing) date no longer counts in the statistics, a submitted report will show “changed after submission”, and the periods counted from acceptance run again from the reopening.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>恢复调解的理由</source>
        <translation>Reason for reopening</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>当事人申请重新调解</source>
        <translation>The parties asked to mediate again</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>出现新的情况，具备调解条件</source>
        <translation>New circumstances make mediation possible</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../mediation/ui/reports_dialog.py" line="+69"/>
        <source>报表中心</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>特点：</source>
        <translation>Highlights:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>下一步：</source>
        <translation>Next:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>填报</source>
        <translation>Fill in</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>审核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上报</source>
        <translation>Submit upward</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 XLSX…</source>
        <translation>Export XLSX…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>月度分析报告…</source>
        <translation>Monthly analysis…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回意见</source>
        <translation>Return comments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>报表</source>
        <translation>Report</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>填报人</source>
        <translation>Filled in by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核人</source>
        <translation>Reviewed by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上报时间</source>
        <translation>Submitted on</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>只有调解点的账户才能填报。</source>
        <translation>Only desk accounts can fill in reports.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已填报，等待督导民警审核。</source>
        <translation>Filled in; awaiting the supervising officer&apos;s review.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已审核通过。</source>
        <translation>Approved.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已退回填报人。</source>
        <translation>Returned to the person who filled it in.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已上报，数据已冻结，期间已锁定。</source>
        <translation>Submitted: the data is frozen and the period locked.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../mediation/ui/reset_password_dialog.py" line="+55"/>
        <location line="+5"/>
        <source>重设密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>为 {name}（{user}）设置一个临时密码，并当面告诉本人。</source>
        <translation>Set a temporary password for {name} ({user}) and tell them in person.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>临时密码：</source>
        <translation>Temporary password:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>再输一次：</source>
        <translation>Again:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本人下次登录时须先改成只有自己知道的新密码。重设同时解除账户锁定。</source>
        <translation>At their next login they must change it to a password only they know. Resetting also unlocks the account.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>ReviewFindingsSection</name>
    <message>
        <location filename="../../mediation/ui/supervision.py" line="+51"/>
        <source>抽卷评查中，您办理的案件被发现的问题（近 60 天）</source>
        <translation>Problems found in your cases by case-file reviews (last 60 days)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>评查发现的问题（{n}）</source>
        <translation>Review findings ({n})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>没有评查发现的问题</source>
        <translation>No review findings</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{who} 于 {when} 评查</source>
        <translation>Reviewed by {who} on {when}</translation>
    </message>
</context>
<context>
    <name>RosterDialog</name>
    <message>
        <location filename="../../mediation/ui/roster_dialog.py" line="+51"/>
        <source>值班安排</source>
        <translation>Duty roster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>添加班次：</source>
        <translation>Add shift:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>备注（可空）</source>
        <translation>note (optional)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>删除所选班次</source>
        <translation>Remove selected shift</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>值班人员</source>
        <translation>On duty</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>签到情况</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>在岗（{t} 签到）</source>
        <translation>Present (checked in {t})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已签退</source>
        <translation>Checked out</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未签到</source>
        <translation>Not checked in</translation>
    </message>
</context>
<context>
    <name>RosterForm</name>
    <message>
        <location filename="../../mediation/ui/roster_form.py" line="+62"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RosterOverviewWindow</name>
    <message>
        <location filename="../../mediation/ui/roster_overview_window.py" line="+146"/>
        <source>值班与工时总览</source>
        <translation>Duty and hours overview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>学期：</source>
        <translation>Term:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定工时…</source>
        <translation>Lock hours…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>学生</source>
        <translation>Students</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>迟到与缺勤</source>
        <translation>Late and absent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>待审核</source>
        <translation>To review</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>交接班</source>
        <translation>Handovers</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>证明</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+10"/>
        <source>学号</source>
        <translation>Student no.</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+3"/>
        <location line="+1"/>
        <location line="+2"/>
        <location line="+4"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+7"/>
        <location line="+3"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>已值班</source>
        <translation>Shifts kept</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>迟到</source>
        <translation>Late</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缺勤</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>值班（小时）</source>
        <translation>Duty (h)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>办案（小时）</source>
        <translation>Casework (h)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>培训（小时）</source>
        <translation>Training (h)</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+83"/>
        <source>待确认</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调解记录</source>
        <translation>Session records</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>咨询</source>
        <translation>Consultations</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文书（退回）</source>
        <translation>Documents (returned)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+4"/>
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签退</source>
        <translation>Checked out</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>待确认（小时）</source>
        <translation>Pending (h)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时长（小时）</source>
        <translation>Duration (h)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请人</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>代班/换班同学</source>
        <translation>Cover / swap with</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>交班人</source>
        <translation>Handed over by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>事项</source>
        <translation>Items</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>补充说明</source>
        <translation>Additional notes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>合计（小时）</source>
        <translation>Total (h)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>超时与临时到岗</source>
        <translation>Overtime and drop-ins</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>补记工时</source>
        <translation>Claim hours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>换班（同学已接受）</source>
        <translation>Swaps (accepted by classmate)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>批准</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不批准</source>
        <translation>Reject</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>起草志愿服务记录证明</source>
        <translation>Draft volunteer service certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>起草课外实践表现报告</source>
        <translation>Draft practice performance report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开…</source>
        <translation>Open…</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>{n} 名学生；待审核 {p} 项；未确认的交接班 {k} 份</source>
        <translation>{n} students; {p} items to review; {k} unconfirmed handovers</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>近 30 天没有值班：{names}</source>
        <translation>No duty in the last 30 days: {names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每位在岗学生近 30 天都有值班。</source>
        <translation>Every active student has been on duty in the last 30 days.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>超时</source>
        <translation>Overtime</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>临时到岗</source>
        <translation>Drop-in</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已审批</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>待审批</source>
        <translation>Awaiting approval</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>待审核（{n}）</source>
        <translation>To review ({n})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>交接班（{n}）</source>
        <translation>Handovers ({n})</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>请先在“学生”中选中一位学生。</source>
        <translation>Select a student under “Students” first.</translation>
    </message>
</context>
<context>
    <name>RosterWindow</name>
    <message>
        <location filename="../../mediation/ui/roster_window.py" line="+156"/>
        <source>学期、志愿者与排班</source>
        <translation>Terms, volunteers and roster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>学期：</source>
        <translation>Term:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>志愿者</source>
        <translation>Volunteers</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>排班表</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>覆盖情况</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>学号</source>
        <translation>Student no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>班级</source>
        <translation>Class</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>岗前培训（小时）</source>
        <translation>Induction (h)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时段</source>
        <translation>Slot</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>学生（已排/需要）</source>
        <translation>Students (set/needed)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>民警（已排/需要）</source>
        <translation>Officers (set/needed)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新建学期…</source>
        <translation>New term…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>学期设置…</source>
        <translation>Term settings…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结束学期…</source>
        <translation>End term…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>导入名单…</source>
        <translation>Import list…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态…</source>
        <translation>Status…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>记录培训…</source>
        <translation>Record training…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>创建账户并打印通知单…</source>
        <translation>Create accounts and print notices…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移交案件…</source>
        <translation>Hand over cases…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上一周</source>
        <translation>Previous week</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下一周</source>
        <translation>Next week</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>排入所选时段</source>
        <translation>Add to selected slot</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>移出所选人员</source>
        <translation>Remove selected person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加时段…</source>
        <translation>Add slot…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>复制上周</source>
        <translation>Copy last week</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>复制到以后各周</source>
        <translation>Copy to later weeks</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>从 Excel 导入…</source>
        <translation>Import from Excel…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印值班表…</source>
        <translation>Print roster…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>导出 Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>周（任选一天）：</source>
        <translation>Week (any day):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>可排班人员（拖到时段上）</source>
        <translation>Available people (drag onto a slot)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把上一周每个时段的人员复制到这一周（已有的保留）</source>
        <translation>Copy each slot&apos;s people from the previous week to this week (existing entries are kept)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把这一周的安排复制到学期结束前的每一周</source>
        <translation>Copy this week&apos;s roster to every week until the end of the term</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>（已结束）</source>
        <translation>(ended)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>还没有值班学期：请先“新建学期”。</source>
        <translation>No duty term yet: click “New term” first.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{start} 至 {end}；每班至少学生 {s} 名、民警 {o} 名；每人每周至多 {h} 小时</source>
        <translation>{start} to {end}; each shift at least {s} students and {o} officers; at most {h} h per person per week</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>（未满）</source>
        <translation>(short)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未创建</source>
        <translation>Not created</translation>
    </message>
    <message>
        <location line="+42"/>
        <location line="+2"/>
        <source>结束学期</source>
        <translation>End term</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>结束“{name}”？在岗和培训中的志愿者将记为“期满”，学期不能再修改。</source>
        <translation>End “{name}”? Active volunteers and those in training will be marked “Term completed”, and the term can no longer be changed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>学期已结束，{n} 名志愿者记为期满。</source>
        <translation>Term ended; {n} volunteers marked as term completed.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>已为 {n} 人创建账户。初始密码只印在这份通知单上（程序不保存），请打印后逐一交给本人。</source>
        <translation>Accounts created for {n} people. The initial passwords are only on this notice (the program does not keep them): print it and hand each one to its owner.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>值班账户通知单</source>
        <translation>Duty account notices</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>本周问题（{n}）</source>
        <translation>Problems this week ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本周没有冲突，每个时段人手齐全。</source>
        <translation>No conflicts this week; every slot is fully staffed.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>人手齐全</source>
        <translation>Fully staffed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>人手不足</source>
        <translation>Understaffed</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>请先在左侧选一位人员，再点一个时段。</source>
        <translation>Choose a person on the left first, then click a slot.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>已复制 {n} 个班次（{k} 个已有或不能排，跳过）。</source>
        <translation>Copied {n} shifts ({k} skipped: already there or not possible).</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>选择值班表</source>
        <translation>Choose roster file</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+37"/>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>已排入 {n} 人次。</source>
        <translation>{n} assignments added.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>值班表 {week}</source>
        <translation>Roster {week}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>导出值班表</source>
        <translation>Export roster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>值班表 {week}.xlsx</source>
        <translation>Roster {week}.xlsx</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+78"/>
        <source>添加调解记录</source>
        <translation>Add session record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录本次调解的经过。打印后由参加人员签字。</source>
        <translation>Record how this session went. Participants sign it after printing.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>保存记录</source>
        <translation>Save record</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>调解时间</source>
        <translation>Session time</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>参加人员</source>
        <translation>Participants</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+20"/>
        <source>申请方陈述</source>
        <translation>Applicant&apos;s statement</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+19"/>
        <source>被申请方陈述</source>
        <translation>Respondent&apos;s statement</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+18"/>
        <source>调解经过及意见</source>
        <translation>Course of mediation and opinion</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>调解员做了哪些工作、提出了什么方案、双方的态度</source>
        <translation>What the mediator did, what solution was proposed, how both sides responded</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>本次结果</source>
        <translation>Result of this session</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{label}：{text}</source>
        <translation>{label}: {text}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>请至少填写一项：申请方陈述、被申请方陈述或调解经过。</source>
        <translation>Fill in at least one of: applicant&apos;s statement, respondent&apos;s statement or course of mediation.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../mediation/ui/settings_dialog.py" line="+139"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>界面</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>调解点</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>类别与来源</source>
        <translation>Categories</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>备份</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>更改后立即生效，下次启动时也使用此语言。</source>
        <translation>Applies at once and is kept for the next start.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>原密码：</source>
        <translation>Current password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新密码：</source>
        <translation>New password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>再输一次新密码：</source>
        <translation>New password again:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不要把密码告诉他人。</source>
        <translation>Never tell anyone your password.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>闲置自动锁屏（分钟）：</source>
        <translation>Lock when idle (minutes):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>电脑无人操作超过这个时间后自动锁屏，保护当事人信息。建议不超过 10 分钟。</source>
        <translation>The screen locks itself after this long without use, to protect the parties&apos; data. 10 minutes or less is recommended.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+10"/>
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords do not match.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>密码已修改。下次登录请使用新密码。</source>
        <translation>Password changed. Use the new password next time you log in.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../mediation/ui/setup_wizard.py" line="+39"/>
        <source>首次设置 — 警校联调调解台</source>
        <translation>First-time set-up — Mediation Desk</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>正在创建调解点和管理员账户…</source>
        <translation>Creating the desk and the administrator account…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在取消练习数据…</source>
        <translation>Cancelling the practice data…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>正在生成练习数据库…（可点“取消”跳过）</source>
        <translation>Generating the practice database… (click “Cancel” to skip)</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <location filename="../../mediation/ui/signature_pad.py" line="+230"/>
        <source>当事人签名</source>
        <translation>Party signatures</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>保存签名</source>
        <translation>Save signatures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>签名 — {title}（第{n}版）</source>
        <translation>Signatures — {title} (version {n})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>文书审批通过后才能签名。</source>
        <translation>Documents can only be signed after approval.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请各方在自己名字旁的框内签名（可用鼠标、手写笔或触摸屏）。签名保存后附在本版文书上，记录签名人和时间。签错了可点“重写”。</source>
        <translation>Each party signs in the box next to their name (with a mouse, pen or touch screen). Saved signatures are attached to this version of the document with the signer and time. If a signature goes wrong, click “Redo”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{role}：{name}</source>
        <translation>{role}: {name}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已签名（{when}）</source>
        <translation>Signed ({when})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{role}：（文书上未填姓名）</source>
        <translation>{role}: (no name on the document)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>这一栏没有写明签名人，不能在屏幕上签名：请更正文书（新版本）写明姓名，或改为纸质签字定稿。</source>
        <translation>This box names no signer, so it cannot be signed on screen: correct the document (new version) to give the name, or finalize it for signing on paper.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name}的签名区</source>
        <translation>Signature box for {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重写</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>各方均已签名，可以定稿。</source>
        <translation>Everyone has signed; the document can be finalised.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>还没有人签名。</source>
        <translation>No one has signed yet.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location line="-254"/>
        <source>签名区</source>
        <translation>Signature box</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>请在此处签名</source>
        <translation>Sign here</translation>
    </message>
</context>
<context>
    <name>SignedDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+170"/>
        <source>登记协议签署</source>
        <translation>Record agreement signing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各方当事人和调解员已在调解协议书上签字（或盖章、按指印）后登记。签署后协议内容不能再修改。</source>
        <translation>Record this once all parties and the mediator have signed the mediation agreement (or sealed it or put their fingerprint on it). Once signed, the agreement can no longer be changed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记签署</source>
        <translation>Record signing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>签署时间</source>
        <translation>Signed on</translation>
    </message>
</context>
<context>
    <name>SlotDialog</name>
    <message>
        <location filename="../../mediation/ui/slot_dialog.py" line="+54"/>
        <source>修改时段</source>
        <translation>Edit slot</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>添加时段</source>
        <translation>Add slot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>名称（可空）</source>
        <translation>Name (optional)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>至少学生</source>
        <translation>Min. students</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>至少民警</source>
        <translation>Min. officers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>按学期设置</source>
        <translation>Term default</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>StartInvestigationDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-385"/>
        <location line="+2"/>
        <source>开始调查</source>
        <translation>Start investigation</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>进入调查阶段：询问当事人、收集证据、现场查看，并记录调查记录。</source>
        <translation>Enter the investigation stage: question the parties, gather evidence, visit the scene, and log investigation records.</translation>
    </message>
</context>
<context>
    <name>StartMediationDialog</name>
    <message>
        <location line="+10"/>
        <location line="+2"/>
        <source>开始调解</source>
        <translation>Start mediation</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>进入调解阶段。添加第一份调解记录时也会自动进入此阶段。</source>
        <translation>Enter the mediation stage. Adding the first session record also enters this stage automatically.</translation>
    </message>
</context>
<context>
    <name>StatMappingDialog</name>
    <message>
        <location filename="../../mediation/ui/stat_mapping_dialog.py" line="+46"/>
        <source>统计口径（类别与统计表的对应）</source>
        <translation>Statistics mapping (categories to report lines)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统计表：</source>
        <translation>Report form:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>自此日起生效：</source>
        <translation>Effective from:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本调解点的项目</source>
        <translation>This desk&apos;s item</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>计入</source>
        <translation>Counts as</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已设定</source>
        <translation>Set</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>按名称默认</source>
        <translation>Default by name</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>没有修改。</source>
        <translation>Nothing changed.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已保存 {n} 项，自 {d} 起按新的对应关系统计。</source>
        <translation>Saved {n} items; statistics use the new mapping from {d}.</translation>
    </message>
</context>
<context>
    <name>StatisticsWindow</name>
    <message>
        <location filename="../../mediation/ui/statistics_window.py" line="+100"/>
        <location line="+2"/>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>调解点：</source>
        <translation>Desk:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记时段</source>
        <translation>Registration times</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>全部（汇总）</source>
        <translation>All (combined)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>{period}，{desks}</source>
        <translation>{period}, {desks}</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+35"/>
        <source>数据校验未通过：</source>
        <translation>Data check failed:</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>上年同期 {y}（同比 {yoy}），上期 {p}（环比 {mom}）</source>
        <translation>Same period last year {y} ({yoy} year on year), previous period {p} ({mom} period on period)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>每月受理（与上年同期）</source>
        <translation>Cases accepted per month (vs. last year)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本年</source>
        <translation>This year</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{m}受理</source>
        <translation>Accepted {m}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>上年同期</source>
        <translation>Last year</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>纠纷类型（近12个月）</source>
        <translation>Dispute types (last 12 months)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>纠纷来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>受理 → 调解成功 → 履行完毕</source>
        <translation>Accepted → settled → performed</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{day} {h}时登记</source>
        <translation>{day}, registered at {h}:00</translation>
    </message>
</context>
<context>
    <name>SupervisionMenu</name>
    <message>
        <location filename="../../mediation/ui/supervision.py" line="+40"/>
        <source>督导(&amp;U)</source>
        <translation>S&amp;upervision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查看、核验和导出审计日志</source>
        <translation>View, verify and export the audit log</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>抽卷评查…</source>
        <translation>Case-file review…</translation>
    </message>
</context>
<context>
    <name>SwapDialog</name>
    <message>
        <location filename="../../mediation/ui/swap_dialog.py" line="+50"/>
        <source>申请换班</source>
        <translation>Request shift swap</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>我的班次</source>
        <translation>My shifts</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>请哪位同学</source>
        <translation>Ask which classmate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>换成对方的班次</source>
        <translation>In exchange for their shift</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同学接受后，由指导老师批准，班次才会更换。</source>
        <translation>The shift changes only once the classmate accepts and the faculty adviser approves.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发出申请</source>
        <translation>Send request</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>您没有尚未开始的班次。</source>
        <translation>You have no upcoming shifts.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>（不换，请对方代班）</source>
        <translation>(no exchange: ask them to cover)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>请选择班次和同学。</source>
        <translation>Choose a shift and a classmate.</translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <location filename="../../mediation/ui/template_dialog.py" line="+81"/>
        <source>文书模板</source>
        <translation>Document templates</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>每种文书的 DOCX 可以改用本调解点自己的措辞：先“导出模板”，在 Word 或 WPS 中修改文字（保留 {{ 字段名 }} 这样的占位符，右侧列出可用的字段），再“上传模板”。上传时会检查模板，用了不存在的字段或不安全的内容会被拒绝。PDF 始终使用内置格式，它是可核验的定稿原件。</source>
        <translation>The DOCX of each form can use your desk&apos;s own wording: &quot;Export template&quot;, edit the text in Word or WPS (keep placeholders such as {{ field_name }}; the available fields are listed on the right), then &quot;Upload template&quot;. Uploads are checked: unknown fields or unsafe content are refused. The PDF always keeps the built-in layout: it is the verifiable final original.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>文书</source>
        <translation>Form</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当前 DOCX 模板</source>
        <translation>DOCX template in use</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上传人</source>
        <translation>Uploaded by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上传时间</source>
        <translation>Uploaded at</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>导出模板…</source>
        <translation>Export template…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>可用字段（含义、占位符、示例）</source>
        <translation>Available fields (meaning, placeholder, example)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上传模板…</source>
        <translation>Upload template…</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+125"/>
        <source>恢复内置格式</source>
        <translation>Restore built-in layout</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>（所有调解点）</source>
        <translation> (all desks)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>内置格式</source>
        <translation>Built-in layout</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>导出模板</source>
        <translation>Export template</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>无法写入 {path}：{why}</source>
        <translation>Cannot write {path}: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已导出到 {path}。修改后用“上传模板”启用。</source>
        <translation>Exported to {path}. Edit it, then use &quot;Upload template&quot; to put it in use.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>上传“{form}”的 DOCX 模板</source>
        <translation>Upload the DOCX template of &quot;{form}&quot;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Word 文档 (*.docx);;所有文件 (*)</source>
        <translation>Word documents (*.docx);;All files (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>文件过大（模板最多 20 MB）。</source>
        <translation>The file is too large (a template may be at most 20 MB).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>已启用“{form}”的模板 {file}。此后该文书的 DOCX 按此模板生成。</source>
        <translation>Template {file} is now in use for &quot;{form}&quot;: its DOCX files are made from it from now on.</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>模板没有启用：{why}</source>
        <translation>Template not put in use: {why}</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>含义</source>
        <translation>Meaning</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>占位符</source>
        <translation>Placeholder</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>示例</source>
        <translation>Example</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>无法读取文件：{why}</source>
        <translation>Cannot read the file: {why}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>停用“{form}”上传的模板 {file}（留有记录）？之后该文书的 DOCX 使用内置格式（若有所有调解点共用的模板，则使用共用模板）。</source>
        <translation>Retire the uploaded template {file} of &quot;{form}&quot; (it stays on record)? The form&apos;s DOCX then uses the built-in layout (or the template shared by all desks, if there is one).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>本调解点的模板已停用；“{form}”现在使用所有调解点共用的模板 {file}。</source>
        <translation>This desk&apos;s template is retired; &quot;{form}&quot; now uses the template shared by all desks, {file}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{form}”已恢复为内置格式。</source>
        <translation>&quot;{form}&quot; uses the built-in layout again.</translation>
    </message>
</context>
<context>
    <name>TermDialog</name>
    <message>
        <location filename="../../mediation/ui/term_dialog.py" line="+44"/>
        <source>学期设置</source>
        <translation>Term settings</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>新建值班学期</source>
        <translation>New duty term</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：2026年秋季学期</source>
        <translation>e.g. Autumn term 2026</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结束日期（志愿者账户有效至此日）</source>
        <translation>End date (volunteers&apos; accounts valid until then)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>每班至少学生</source>
        <translation>Min. students per shift</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>每班至少值班民警</source>
        <translation>Min. officers per shift</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>每人每周最多（小时）</source>
        <translation>Max. hours per person per week</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>新建学期</source>
        <translation>New term</translation>
    </message>
</context>
<context>
    <name>TerminateDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="+386"/>
        <location line="+1"/>
        <source>终止调解</source>
        <translation>Terminate mediation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>终止调解的，应告知当事人可以通过其他途径解决（终止调解告知书）。</source>
        <translation>When mediation is terminated, tell the parties they can seek other ways to resolve the dispute (notice of termination of mediation).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>终止理由</source>
        <translation>Reason for termination</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>告知当事人的其他途径</source>
        <translation>Other ways to resolve, as told to the parties</translation>
    </message>
</context>
<context>
    <name>TermsEditor</name>
    <message>
        <location line="-177"/>
        <source>＋ 添加一项</source>
        <translation>+ Add item</translation>
    </message>
    <message>
        <location line="+12"/>
        <location filename="../../mediation/ui/document_editor.py" line="-241"/>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../mediation/ui/document_editor.py" line="-18"/>
        <source>条款内容（双击修改）</source>
        <translation>Term (double-click to edit)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>添加条款</source>
        <translation>Add term</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
</context>
<context>
    <name>TodayPanel</name>
    <message>
        <location filename="../../mediation/ui/today_panel.py" line="+206"/>
        <location line="+16"/>
        <source>今天 {date}</source>
        <translation>Today {date}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>今日面板载入失败：{msg}</source>
        <translation>The Today panel could not be loaded: {msg}</translation>
    </message>
</context>
<context>
    <name>TrainingDialog</name>
    <message>
        <location filename="../../mediation/ui/training_dialog.py" line="+35"/>
        <source>记录培训：{name}</source>
        <translation>Record training: {name}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>记录培训</source>
        <translation>Record training</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时长（分钟）</source>
        <translation>Duration (min)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例如：岗前培训——人民调解法与调解记录的制作</source>
        <translation>e.g. induction: the People&apos;s Mediation Law and writing session records</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
</context>
<context>
    <name>VolunteerDialog</name>
    <message>
        <location filename="../../mediation/ui/volunteer_dialog.py" line="+46"/>
        <source>修改志愿者信息</source>
        <translation>Edit volunteer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>添加志愿者</source>
        <translation>Add volunteer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>学号</source>
        <translation>Student no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>班级</source>
        <translation>Class</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>学院</source>
        <translation>School</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号（可不填）</source>
        <translation>ID card number (optional)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>学期中途加入</source>
        <translation>Joined mid-term</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>加入日期</source>
        <translation>Joined on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>请先选择学期。</source>
        <translation>Choose a term first.</translation>
    </message>
</context>
<context>
    <name>VolunteerImportDialog</name>
    <message>
        <location filename="../../mediation/ui/volunteer_import_dialog.py" line="+98"/>
        <source>导入志愿者名单</source>
        <translation>Import volunteer list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请选择学校提供的名单（.xlsx）。</source>
        <translation>Choose the list provided by the school (.xlsx).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各列对应的内容</source>
        <translation>What each column holds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>前几行</source>
        <translation>First rows</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入结果</source>
        <translation>Import result</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>选择志愿者名单</source>
        <translation>Choose volunteer list</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>已按上次导入时的对应关系填好，请核对。</source>
        <translation>Filled in as at the last import; please check.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已按列名推测，请核对；“*”为必填。</source>
        <translation>Guessed from the column names; please check. “*” is required.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>（不导入）</source>
        <translation>(do not import)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>已导入 {n} 人；{p} 行有误未导入，{d} 行重复未导入。有误的行改正后可再次导入，已导入的不会重复。</source>
        <translation>Imported {n} people; {p} rows with errors and {d} duplicate rows were not imported. Correct the faulty rows and import again; those already imported are not duplicated.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>有误</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>重复</source>
        <translation>Duplicate</translation>
    </message>
</context>
<context>
    <name>VolunteerStatusDialog</name>
    <message>
        <location filename="../../mediation/ui/volunteer_status_dialog.py" line="+38"/>
        <source>志愿者状态：{name}</source>
        <translation>Volunteer status: {name}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>志愿者状态</source>
        <translation>Volunteer status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>暂停或退出须写明原因。其承办的在办案件请随后在“移交案件”中交给同事。</source>
        <translation>Give a reason for a pause or withdrawal. Then hand the volunteer&apos;s open cases to colleagues under “Hand over cases”.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>WithdrawDialog</name>
    <message>
        <location filename="../../mediation/ui/action_dialogs.py" line="-174"/>
        <source>申请人撤回</source>
        <translation>Withdrawn by the applicant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请人撤回调解申请，案件将结束。</source>
        <translation>The applicant withdraws the request for mediation; the case will end.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤回的原因</source>
        <translation>Reason for withdrawal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记撤回</source>
        <translation>Record withdrawal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>双方已自行和解</source>
        <translation>The parties have settled on their own</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>申请人决定向法院起诉</source>
        <translation>The applicant has decided to sue in court</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../mediation/ui/app.py" line="+117"/>
        <source>警校联调调解台</source>
        <translation>Mediation Desk</translation>
    </message>
    <message>
        <location line="+164"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>数据库文件无法读取（{detail}）。它可能已损坏，或不是调解台的数据库。</source>
        <translation>The database file cannot be read ({detail}). It may be damaged, or not a Mediation Desk database.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>调解台没有打开数据库，数据没有受到改动。</source>
        <translation>The Mediation Desk did not open the database; no data was changed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>原因：{reason}

请关闭其他正在使用调解台的窗口后重试；如果仍然不行，请联系管理员，并把日志文件交给他：{path}</source>
        <translation>Reason: {reason}

Close any other window using the Mediation Desk and try again. If it still fails, contact the administrator and give them the log file: {path}</translation>
    </message>
</context>
<context>
    <name>backup</name>
    <message>
        <location filename="../../mediation/ui/backup_dialog.py" line="+35"/>
        <source>备份数据库到…</source>
        <translation>Back up the database to…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SQLite 数据库 (*.sqlite3)</source>
        <translation>SQLite database (*.sqlite3)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>备份完成</source>
        <translation>Backup finished</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据库已备份到：
{path}</source>
        <translation>The database was backed up to:
{path}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>正在备份数据库，请稍候…</source>
        <translation>Backing up the database, please wait…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>立即备份</source>
        <translation>Back up now</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../mediation/ui/errors.py" line="+89"/>
        <source>{message}
您输入的内容仍保留在窗口中；请刷新，核对后再保存。</source>
        <translation>{message}
What you typed is still in the window; refresh, check it, then save again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>内容已被他人修改</source>
        <translation>Changed by someone else</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>数据库问题</source>
        <translation>Database problem</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>无法完成操作</source>
        <translation>Could not complete the action</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>程序遇到了意外错误，操作没有完成。已输入的内容仍保留在窗口中。</source>
        <translation>The program ran into an unexpected error and the action was not completed. What you entered is still in the window.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请把日志文件交给管理员：{path}</source>
        <translation>Please give the log file to the administrator: {path}</translation>
    </message>
</context>
<context>
    <name>operations</name>
    <message>
        <location filename="../../mediation/ui/operations.py" line="+242"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <location filename="../../mediation/ui/widgets.py" line="+381"/>
        <source>放弃已输入的内容？</source>
        <translation>Discard your input?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您输入的内容还没有保存。</source>
        <translation>What you entered has not been saved.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>可以保留为草稿，下次登记新纠纷时再继续；也可以放弃这些内容。</source>
        <translation>You can keep it as a draft and continue the next time you register a dispute, or discard it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>关闭后这些内容将丢失。</source>
        <translation>If you close now, this input will be lost.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保留草稿，稍后继续</source>
        <translation>Keep draft, continue later</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>放弃输入</source>
        <translation>Discard input</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>继续编辑</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
</TS>
